package dev.socksbridge.probe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Real libraries whose own frame opens the socket, called from this app's code: {@code pg:JDBC_URL}
 * (pgjdbc, a {@code select}), {@code okhttp} (a GET to a JDK HttpServer with OkHttp 5's defaults, which
 * connect on OkHttp's own task threads) and {@code redirect} (an
 * {@code HttpClient.send} answered by a 302 to a second loopback server), {@code h2goaway:PORT} and
 * {@code h2refused:PORT} (two {@code send}s of one HTTP/2 client to a server that ends the first connection
 * after the first request, or refuses the second one on it), {@code h2refusedasync:PORT} (the same with a
 * {@code sendAsync} second). Each prints
 * {@code PROBE <scenario> ... line=N}, N the line of the call in this class, and nothing that differs from
 * run to run, so the output with and without the agent is the same.
 */
public final class AppCallerProbeApp {

    private AppCallerProbeApp() {
    }

    public static void main(String[] args) throws Exception {
        HttpServer target = server("/target", exchange -> reply(exchange, 200, "redirected", null));
        HttpServer first = server("/start", exchange -> reply(exchange, 302, "",
                "http://127.0.0.1:" + target.getAddress().getPort() + "/target"));
        try {
            for (String scenario : args) {
                if (scenario.startsWith("pg:")) {
                    pg(scenario.substring(3));
                } else if (scenario.equals("okhttp")) {
                    okhttp(target.getAddress().getPort());
                } else if (scenario.equals("redirect")) {
                    redirect(first.getAddress().getPort());
                } else if (scenario.startsWith("h2goaway:")) {
                    http2Twice("h2goaway", scenario.substring("h2goaway:".length()), "/goaway", "/again");
                } else if (scenario.startsWith("h2refused:")) {
                    http2Twice("h2refused", scenario.substring("h2refused:".length()), "/refuse", "/refuse");
                } else if (scenario.startsWith("h2refusedasync:")) {
                    http2Twice("h2refusedasync", scenario.substring("h2refusedasync:".length()), "/refuse", "/refuse");
                } else {
                    throw new IllegalArgumentException("unknown scenario " + scenario);
                }
            }
        } finally {
            first.stop(0);
            target.stop(0);
        }
        System.out.println("PROBE done");
    }

    private static void pg(String url) throws SQLException {
        int line = nextLine();
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select 40 + 2")) {
            rows.next();
            System.out.println("PROBE pg result=" + rows.getInt(1) + " line=" + line);
        }
    }

    private static void okhttp(int port) throws IOException {
        OkHttpClient client = new OkHttpClient();
        Request request = new Request.Builder().url("http://127.0.0.1:" + port + "/target").build();
        int line = nextLine();
        try (Response response = client.newCall(request).execute()) {
            System.out.println("PROBE okhttp status=" + response.code() + " body=" + response.body().string()
                    + " line=" + line);
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private static void redirect(int port) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/start")).build();
        int line = nextLine();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        System.out.println("PROBE redirect status=" + response.statusCode() + " body=" + response.body()
                + " path=" + response.uri().getPath() + " previous=" + response.previousResponse()
                        .map(HttpResponse::statusCode).orElse(0) + " line=" + line);
    }

    /**
     * Two requests of one HTTP/2 client to the server at {@code port} (trusted through
     * {@code -Djavax.net.ssl.trustStore}), which ends the first connection after the first (path
     * {@code /goaway}) or refuses the second on it (path {@code /refuse}): the second request goes out on a
     * new connection. The first is a {@code send}; the second too, or a {@code sendAsync} for a scenario
     * ending in {@code async}.
     */
    private static void http2Twice(String scenario, String port, String firstPath, String secondPath)
            throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        String base = "https://127.0.0.1:" + port;
        int firstLine = nextLine();
        HttpResponse<String> first = client.send(get(base + firstPath), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> second;
        int secondLine;
        if (scenario.endsWith("async")) {
            secondLine = nextLine();
            second = client.sendAsync(get(base + secondPath), HttpResponse.BodyHandlers.ofString()).join();
        } else {
            secondLine = nextLine();
            second = client.send(get(base + secondPath), HttpResponse.BodyHandlers.ofString());
        }
        System.out.println("PROBE " + scenario + " first=" + first.statusCode() + ":" + first.version() + ":"
                + first.body().length() + " second=" + second.statusCode() + ":" + second.version() + ":"
                + second.body().length() + " line1=" + firstLine + " line2=" + secondLine);
    }

    private static HttpRequest get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).build();
    }

    private static HttpServer server(String path, Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(path, exchange -> {
            try (exchange) {
                handler.handle(exchange);
            }
        });
        server.start();
        return server;
    }

    private static void reply(HttpExchange exchange, int status, String body, String location) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getRequestBody().readAllBytes();
        if (location != null) {
            exchange.getResponseHeaders().add("Location", location);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static int nextLine() {
        return StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst()).orElseThrow().getLineNumber() + 1;
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }
}
