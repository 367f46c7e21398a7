package dev.socksbridge.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** {@code java.net.http.HttpClient}: NIO underneath, and it ignores SOCKS proxy settings (JDK-8214516). */
final class HttpClientCall implements DemoCall {
    private final InetSocketAddress target;
    private final String path;

    HttpClientCall(InetSocketAddress target, String path) {
        this.target = target;
        this.path = path;
    }

    @Override
    public String name() {
        return "http-client";
    }

    @Override
    public InetSocketAddress target() {
        return target;
    }

    @Override
    public String call() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Timeouts.CONNECT).build();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://" + target.getHostString() + ":" + target.getPort() + path))
                .timeout(Timeouts.READ)
                .build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return "HTTP " + response.statusCode() + ", " + response.body().length + " bytes";
    }
}
