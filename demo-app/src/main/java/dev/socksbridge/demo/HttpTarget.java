package dev.socksbridge.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A tiny HTTP service (the JDK's own server) answering {@value #PATH} with a small JSON body. */
final class HttpTarget implements AutoCloseable {
    static final String PATH = "/api/status";
    static final String BODY = "{\"status\":\"up\",\"service\":\"inventory\"}";

    private final HttpServer server;

    private HttpTarget(HttpServer server) {
        this.server = server;
    }

    static HttpTarget start(InetAddress address) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.createContext(PATH, HttpTarget::status);
        server.start();
        return new HttpTarget(server);
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    private static void status(HttpExchange exchange) throws IOException {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
