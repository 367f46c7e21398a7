package dev.socksbridge.probe;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Connects to a destination that fails in a known way, through one JDK API, and prints what the app
 * saw: {@code PARITY api outcome -> Type: message [/ cause Type: message] elapsedMs=N}. Run with and
 * without the agent, the lines before {@code elapsedMs} must be equal.
 *
 * <p>Arguments: {@code api:outcome:host:port:timeoutMillis} ({@code host} {@code closed} means a loopback
 * port this JVM just closed, {@code full} one whose accept queue is full, so connects to it time out; a host ending in {@code .invalid} is passed unresolved where the API takes an
 * address). APIs: {@code socket}, {@code url} (HttpURLConnection), {@code nio} (blocking SocketChannel),
 * {@code async} (AsynchronousSocketChannel), {@code httpclient}.
 */
public final class ParityProbeApp {

    private static final long WAIT_SECONDS = 60;
    private static final int FILL_ATTEMPTS = 20;
    private static final int FILL_TIMEOUT_MILLIS = 300;

    private ParityProbeApp() {
    }

    public static void main(String[] args) throws Exception {
        for (String arg : args) {
            String[] part = arg.split(":");
            String api = part[0];
            String outcome = part[1];
            String host = part[2];
            int port = Integer.parseInt(part[3]);
            int timeout = Integer.parseInt(part[4]);
            ServerSocket full = null;
            if (host.equals("closed")) {
                host = "127.0.0.1";
                port = closedPort();
            } else if (host.equals("full")) {
                full = fullServer();
                host = "127.0.0.1";
                port = full.getLocalPort();
            }
            long start = System.nanoTime();
            String seen;
            try {
                connect(api, host, port, timeout);
                seen = "connected";
            } catch (ExecutionException e) {
                seen = describe(e.getCause());
            } catch (IOException | RuntimeException e) {
                seen = describe(e);
            }
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("PARITY " + api + " " + outcome + " -> " + seen + " elapsedMs=" + elapsed);
            if (full != null) {
                full.close();
            }
        }
        System.out.println("PROBE done");
    }

    /**
     * A loopback server whose accept queue is full: Linux drops further SYNs, so a connect to it times out
     * without a packet leaving the machine. Filled with direct connections until one times out (bounded).
     */
    private static ServerSocket fullServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        for (int i = 0; i < FILL_ATTEMPTS; i++) {
            Socket filler = new Socket(Proxy.NO_PROXY);
            try {
                filler.connect(server.getLocalSocketAddress(), FILL_TIMEOUT_MILLIS);
            } catch (SocketTimeoutException e) {
                filler.close();
                return server; // kept open: the server's queue holds the earlier ones
            }
        }
        throw new IOException("accept queue still not full after " + FILL_ATTEMPTS + " connections");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return server.getLocalPort(); // nothing listens there once closed
        }
    }

    private static String describe(Throwable e) {
        String text = e.getClass().getName() + ": " + e.getMessage();
        Throwable cause = e.getCause();
        return cause == null ? text : text + " / cause " + cause.getClass().getName() + ": " + cause.getMessage();
    }

    private static InetSocketAddress address(String host, int port) {
        return host.endsWith(".invalid") ? InetSocketAddress.createUnresolved(host, port)
                : new InetSocketAddress(host, port);
    }

    private static void connect(String api, String host, int port, int timeout) throws Exception {
        switch (api) {
            case "socket" -> {
                try (Socket socket = new Socket()) {
                    socket.connect(address(host, port), timeout);
                }
            }
            case "url" -> {
                HttpURLConnection connection =
                        (HttpURLConnection) URI.create("http://" + host + ":" + port + "/").toURL().openConnection();
                connection.setConnectTimeout(timeout);
                connection.getResponseCode();
            }
            case "nio" -> {
                try (SocketChannel channel = SocketChannel.open()) {
                    channel.connect(address(host, port));
                }
            }
            case "adaptor" -> { // a channel's socket adaptor: the one channel connect with a timeout of its own
                try (SocketChannel channel = SocketChannel.open()) {
                    channel.socket().connect(address(host, port), timeout);
                }
            }
            case "async" -> {
                try (AsynchronousSocketChannel channel = AsynchronousSocketChannel.open()) {
                    channel.connect(address(host, port)).get(WAIT_SECONDS, TimeUnit.SECONDS);
                }
            }
            case "httpclient" -> {
                HttpClient.Builder builder = HttpClient.newBuilder();
                if (timeout > 0) {
                    builder.connectTimeout(Duration.ofMillis(timeout));
                }
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/")).build();
                builder.build().send(request, HttpResponse.BodyHandlers.discarding());
            }
            default -> throw new IllegalArgumentException("api: " + api
                    + " (expected: socket, url, nio, async or httpclient)");
        }
    }
}
