package dev.socksbridge.proxy.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** The JDK's own HTTP server on a loopback address and port 0, answering every GET with {@link #body()}. */
public final class LocalHttpServer implements Closeable {

    private final HttpServer server;
    private final String body;
    private final AtomicInteger requests = new AtomicInteger();

    private LocalHttpServer(HttpServer server, String body) {
        this.server = server;
        this.body = body;
    }

    public static LocalHttpServer start(InetAddress bindAddress) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, 0), 50);
        LocalHttpServer local = new LocalHttpServer(server, "hello from " + bindAddress.getHostAddress() + "\n");
        server.createContext("/", local::answer);
        server.start();
        return local;
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        // One request per connection: HttpURLConnection would otherwise park the socket in its keep-alive
        // cache (closed seconds later by its timer), and the proxied session would outlive the test.
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://HOST:PORT/} with {@code host} as given (a name, an IPv4 or bracketed IPv6 literal). */
    public URI uri(String host) {
        return URI.create("http://" + host + ":" + port() + "/");
    }

    public String body() {
        return body;
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
