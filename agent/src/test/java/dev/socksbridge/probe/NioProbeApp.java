package dev.socksbridge.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The NIO side of the probe: one scenario per JDK channel API, {@code name:host:port}. Each prints
 * {@code PROBE name ... line=N} (N: the source line of the connecting call) and what the app saw: the
 * remote address through every accessor, bytes echoed, or the exception of a failed connect.
 */
public final class NioProbeApp {

    static final int PAYLOAD = 1000;
    private static final long WAIT_SECONDS = 30;

    private NioProbeApp() {
    }

    public static void main(String[] args) throws Exception {
        List<String> scenarios = new ArrayList<>(List.of(args));
        if (!scenarios.isEmpty() && scenarios.get(0).equals("--wait")) {
            scenarios.remove(0);
            awaitGo();
        }
        for (String scenario : scenarios) {
            int first = scenario.indexOf(':');
            int last = scenario.lastIndexOf(':');
            String name = scenario.substring(0, first);
            String host = scenario.substring(first + 1, last);
            InetSocketAddress target = new InetSocketAddress(host, Integer.parseInt(scenario.substring(last + 1)));
            try {
                run(name, target);
            } catch (IOException | ExecutionException | RuntimeException e) {
                Throwable shown = e instanceof ExecutionException ? e.getCause() : e;
                System.out.println("PROBE " + name + " exception=" + shown.getClass().getName()
                        + " wrapped=" + (e instanceof ExecutionException) + " line=" + lastLine
                        + " message=" + shown.getMessage());
            }
        }
        System.out.println("PROBE done");
    }

    /**
     * Makes an HttpClient first (so the JDK's HttpClient classes are loaded before an agent attaches),
     * prints {@code READY pid=N} and waits for a line on standard input.
     */
    private static void awaitGo() throws IOException {
        HttpClient.newHttpClient();
        System.out.println("READY pid=" + ProcessHandle.current().pid());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }

    private static void run(String name, InetSocketAddress target) throws Exception {
        switch (name) {
            case "channel", "refused", "denied" -> blocking(name, target);
            case "open" -> open(target);
            case "adaptor" -> adaptor(target);
            case "selector", "selectorrefused" -> selector(name, target);
            case "async", "asyncrefused" -> async(name, target);
            case "httpclient" -> httpClient(target);
            case "httpasync" -> httpAsync(target);
            case "http2" -> http2(target);
            case "udp" -> udp(target);
            case "virtual" -> virtualThreads(target);
            case "dns" -> dns(target);
            case "unresolved" -> blocking(name, InetSocketAddress.createUnresolved(target.getHostString(),
                    target.getPort()));
            default -> throw new IllegalArgumentException("unknown scenario " + name);
        }
    }

    private static void blocking(String name, InetSocketAddress target) throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            int line = nextLine();
            channel.connect(target);
            report(name, channel, echo(channel), line);
        }
    }

    private static void open(InetSocketAddress target) throws IOException {
        int line = nextLine();
        try (SocketChannel channel = SocketChannel.open(target)) {
            report("open", channel, echo(channel), line);
        }
    }

    /** The socket adaptor: {@code channel.socket().connect} (what old blocking-IO libraries on channels do). */
    private static void adaptor(InetSocketAddress target) throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            Socket socket = channel.socket();
            int line = nextLine();
            socket.connect(target, 10_000);
            report("adaptor", channel, echo(channel), line);
        }
    }

    /** Non-blocking connect, OP_CONNECT on a Selector, finishConnect, then a non-blocking echo. */
    private static void selector(String name, InetSocketAddress target) throws IOException {
        try (Selector selector = Selector.open(); SocketChannel channel = SocketChannel.open()) {
            channel.configureBlocking(false);
            int line = nextLine();
            boolean immediately = channel.connect(target);
            if (!immediately) {
                channel.register(selector, SelectionKey.OP_CONNECT);
                awaitReady(selector, "connect");
                if (!channel.finishConnect()) {
                    throw new IllegalStateException("finishConnect false after OP_CONNECT");
                }
            }
            report(name, channel, selectorEcho(selector, channel), line);
        }
    }

    private static void async(String name, InetSocketAddress target) throws Exception {
        try (AsynchronousSocketChannel channel = AsynchronousSocketChannel.open()) {
            int line = nextLine();
            channel.connect(target).get(WAIT_SECONDS, TimeUnit.SECONDS);
            channel.write(ByteBuffer.allocate(PAYLOAD)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            channel.shutdownOutput();
            ByteBuffer in = ByteBuffer.allocate(4096);
            int echoed = 0;
            for (int n = 0; n >= 0 && echoed <= PAYLOAD; n = channel.read(in.clear()).get(WAIT_SECONDS, TimeUnit.SECONDS)) {
                echoed += n;
            }
            System.out.println("PROBE " + name + " remote=" + text(channel.getRemoteAddress())
                    + " string=" + channel.toString().contains(text(target)) + " echoed=" + echoed + " line=" + line);
        }
    }

    private static void httpClient(InetSocketAddress target) throws Exception {
        HttpClient client = httpClient(HttpClient.Version.HTTP_1_1);
        HttpRequest request = get("http://" + text(target) + "/hello");
        int line = nextLine();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        System.out.println("PROBE httpclient status=" + response.statusCode() + " body=" + response.body().length
                + " line=" + line);
    }

    /** sendAsync: the JDK connects on one of the client's worker threads, with no app frame on the stack. */
    private static void httpAsync(InetSocketAddress target) throws Exception {
        HttpClient client = httpClient(HttpClient.Version.HTTP_1_1);
        HttpRequest request = get("http://" + text(target) + "/async");
        int line = nextLine();
        HttpResponse<byte[]> response = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        System.out.println("PROBE httpasync status=" + response.statusCode() + " body=" + response.body().length
                + " line=" + line);
    }

    /** HTTP/2 over TLS; the JVM trusts the server through {@code -Djavax.net.ssl.trustStore}. */
    private static void http2(InetSocketAddress target) throws Exception {
        HttpClient client = httpClient(HttpClient.Version.HTTP_2);
        HttpRequest request = get("https://" + text(target) + "/h2");
        int line = nextLine();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        System.out.println("PROBE http2 status=" + response.statusCode() + " version=" + response.version()
                + " body=" + response.body().length + " line=" + line);
    }

    private static HttpClient httpClient(HttpClient.Version version) {
        return HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(WAIT_SECONDS)).build();
    }

    private static HttpRequest get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(WAIT_SECONDS)).build();
    }

    /** 40 blocking channels at once from virtual threads (JDK 21+; platform threads on 17). */
    private static void virtualThreads(InetSocketAddress target) throws Exception {
        ExecutorService pool;
        try {
            pool = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            pool = Executors.newFixedThreadPool(8);
        }
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(pool.submit(() -> {
                    try (SocketChannel channel = SocketChannel.open(target)) {
                        return echo(channel);
                    }
                }));
            }
            int total = 0;
            for (Future<Integer> result : results) {
                total += result.get(60, TimeUnit.SECONDS);
            }
            System.out.println("PROBE virtual echoed=" + total);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Two datagrams with DatagramChannel.send, one through a connected channel, one with DatagramSocket. */
    private static void udp(InetSocketAddress target) throws IOException {
        int line;
        try (DatagramChannel channel = DatagramChannel.open()) {
            line = nextLine() + 1; // the send inside the loop: one call site, two datagrams
            for (int i = 0; i < 2; i++) {
                channel.send(ByteBuffer.allocate(100), target);
            }
        }
        int connectedLine;
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.connect(target);
            connectedLine = nextLine();
            channel.write(ByteBuffer.allocate(50));
        }
        int socketLine;
        try (DatagramSocket socket = new DatagramSocket()) {
            socketLine = nextLine();
            socket.send(new DatagramPacket(new byte[30], 30, target));
        }
        System.out.println("PROBE udp line=" + line + " connectedline=" + connectedLine + " socketline=" + socketLine);
    }

    /** A lookup by name, then a channel to the same name (the summary links the two). */
    private static void dns(InetSocketAddress target) throws IOException {
        int line = nextLine();
        InetAddress[] addresses = InetAddress.getAllByName(target.getHostString());
        try (SocketChannel channel = SocketChannel.open()) {
            channel.connect(new InetSocketAddress(addresses[0], target.getPort()));
            System.out.println("PROBE dns addresses=" + addresses.length + " echoed=" + echo(channel) + " line=" + line);
        }
    }

    private static void report(String name, SocketChannel channel, int echoed, int line) throws IOException {
        Socket socket = channel.socket();
        System.out.println("PROBE " + name + " remote=" + text(channel.getRemoteAddress())
                + " socket=" + text(new InetSocketAddress(socket.getInetAddress(), socket.getPort()))
                + " string=" + channel.toString().contains(text(channel.getRemoteAddress()))
                + " echoed=" + echoed + " line=" + line);
    }

    /** {@code ip:port} ({@code [v6]:port}) without the host name part. */
    static String text(SocketAddress address) {
        InetSocketAddress inet = (InetSocketAddress) address;
        String ip = inet.getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + inet.getPort();
    }

    /** Sends {@link #PAYLOAD} bytes, half-closes, reads everything back (blocking channel). */
    private static int echo(SocketChannel channel) throws IOException {
        channel.write(ByteBuffer.allocate(PAYLOAD));
        channel.shutdownOutput();
        channel.socket().setSoTimeout(30_000);
        return channel.socket().getInputStream().readAllBytes().length;
    }

    private static int selectorEcho(Selector selector, SocketChannel channel) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(PAYLOAD);
        SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
        while (out.hasRemaining()) {
            awaitReady(selector, "write");
            channel.write(out);
        }
        channel.shutdownOutput();
        key.interestOps(SelectionKey.OP_READ);
        ByteBuffer in = ByteBuffer.allocate(4096);
        int echoed = 0;
        while (true) {
            awaitReady(selector, "read");
            int n = channel.read(in.clear());
            if (n < 0) {
                return echoed;
            }
            echoed += n;
        }
    }

    private static void awaitReady(Selector selector, String what) throws IOException {
        if (selector.select(TimeUnit.SECONDS.toMillis(WAIT_SECONDS)) == 0) {
            throw new IOException("no " + what + " readiness within " + WAIT_SECONDS + " s");
        }
        selector.selectedKeys().clear();
    }

    /** The line nextLine() last returned: where the call that failed was. */
    private static int lastLine = -1;

    private static int nextLine() {
        lastLine = StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst()).orElseThrow().getLineNumber() + 1;
        return lastLine;
    }
}
