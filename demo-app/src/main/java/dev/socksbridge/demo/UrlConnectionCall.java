package dev.socksbridge.demo;

import java.io.IOException;
import java.io.InputStream;
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
        // Without this the JDK pools the connection and it closes only at JVM exit, so a connection log
        // line (printed when a connection ends) would appear far from this call.
        connection.setRequestProperty("Connection", "close");
        try (InputStream body = connection.getInputStream()) {
            return "HTTP " + connection.getResponseCode() + ", " + body.readAllBytes().length + " bytes";
        } finally {
            connection.disconnect();
        }
    }
}
