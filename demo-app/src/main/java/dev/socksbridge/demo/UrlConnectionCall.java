package dev.socksbridge.demo;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;

/** {@link HttpURLConnection}: what older HTTP clients, SOAP stacks and many SDKs still use underneath. */
final class UrlConnectionCall implements DemoCall {
    private final InetSocketAddress target;
    private final String path;

    UrlConnectionCall(InetSocketAddress target, String path) {
        this.target = target;
        this.path = path;
    }

    @Override
    public String name() {
        return "http-url-connection";
    }

    @Override
    public InetSocketAddress target() {
        return target;
    }

    @Override
    public String call() throws IOException {
        URI uri = URI.create("http://" + target.getHostString() + ":" + target.getPort() + path);
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setConnectTimeout(Timeouts.connectMillis());
        connection.setReadTimeout(Timeouts.readMillis());
        try {
            int status = connection.getResponseCode();
            int length = connection.getInputStream().readAllBytes().length;
            return "HTTP " + status + ", " + length + " bytes";
        } finally {
            // Before the body stream is closed, so the JDK closes the socket instead of pooling it:
            // a pooled connection would end (and be logged) only when reused or at JVM exit.
            connection.disconnect();
        }
    }
}
