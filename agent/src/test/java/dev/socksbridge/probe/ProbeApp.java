package dev.socksbridge.probe;

import dev.socksbridge.probe.driver.FakeDriver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The app a child JVM runs under the agent in the integration tests. Each argument is one scenario,
 * {@code name:port[:extra]}; for each it prints {@code PROBE name ... line=N} where N is the source line
 * of the connecting call, so the test can check the caller the agent reported. With {@code --wait} first
 * it prints {@code READY} and waits for a line on standard input (dynamic attach happens meanwhile).
 */
public final class ProbeApp {

    static final int PAYLOAD = 1000;

    private ProbeApp() {
    }

    public static void main(String[] args) throws Exception {
        List<String> scenarios = new ArrayList<>(List.of(args));
        if (!scenarios.isEmpty() && scenarios.get(0).equals("--wait")) {
            scenarios.remove(0);
            System.out.println("READY pid=" + ProcessHandle.current().pid() + " socksProxyPort="
                    + System.getProperty("socksProxyPort"));
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        for (String scenario : scenarios) {
            String[] parts = scenario.split(":");
            run(parts[0], Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : null);
        }
        System.out.println("PROBE done");
    }

    private static void run(String name, int port, String extra) throws Exception {
        switch (name) {
            case "socket" -> plainSocket(port);
            case "http" -> http(port);
            case "keepalive" -> keepAlive(port);
            case "driver" -> driver(port);
            case "direct" -> direct(port);
            case "denied" -> denied(port, extra);
            case "virtual" -> virtualThreads(port, Integer.parseInt(extra));
            case "libraries" -> appLibraries(port);
            case "ownproxy" -> ownProxy(port, Integer.parseInt(extra));
            case "await" -> awaitLine();
            default -> throw new IllegalArgumentException("unknown scenario " + name);
        }
    }

    private static void plainSocket(int port) throws IOException {
        int line = nextLine();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            int echoed = echo(socket);
            System.out.println("PROBE socket echoed=" + echoed + " line=" + line);
        }
    }

    private static void http(int port) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/hello").openConnection();
        connection.setRequestProperty("Connection", "close");
        int line = nextLine();
        int status = connection.getResponseCode();
        byte[] body;
        try (InputStream in = connection.getInputStream()) {
            body = in.readAllBytes();
        }
        connection.disconnect();
        System.out.println("PROBE http status=" + status + " body=" + body.length + " line=" + line);
    }

    /** Leaves the connection in the JDK's keep-alive cache: still open when the JVM exits. */
    private static void keepAlive(int port) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/kept").openConnection();
        int line = nextLine();
        int status = connection.getResponseCode();
        try (InputStream in = connection.getInputStream()) {
            System.out.println("PROBE keepalive status=" + status + " body=" + in.readAllBytes().length + " line=" + line);
        }
    }

    private static void driver(int port) throws IOException {
        int line = nextLine();
        int echoed = FakeDriver.connect("127.0.0.1", port, new byte[PAYLOAD]);
        System.out.println("PROBE driver echoed=" + echoed + " line=" + line);
    }

    private static void direct(int port) throws IOException {
        try (Socket socket = new Socket(Proxy.NO_PROXY)) {
            int line = nextLine();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            int echoed = echo(socket);
            System.out.println("PROBE direct echoed=" + echoed + " line=" + line);
        }
    }

    private static void denied(int port, String host) {
        try (Socket socket = new Socket()) {
            int line = nextLine();
            socket.connect(InetSocketAddress.createUnresolved(host, port), 10_000);
            System.out.println("PROBE denied connected line=" + line);
        } catch (IOException e) {
            System.out.println("PROBE denied exception=" + e.getClass().getName() + ": " + e.getMessage());
        }
    }

    /** {@code await:0}: prints {@code PROBE await} and waits for a line on standard input (the test checks the running JVM). */
    private static void awaitLine() throws IOException {
        System.out.println("PROBE await");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }

    /** The app passes its own SOCKS proxy: the agent must leave it alone and report the route as direct. */
    private static void ownProxy(int port, int proxyPort) throws IOException {
        Proxy own = new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", proxyPort));
        try (Socket socket = new Socket(own)) {
            int line = nextLine();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            System.out.println("PROBE ownproxy echoed=" + echo(socket) + " line=" + line);
        }
    }

    /** Connections from many virtual threads at once (JDK 21+); platform threads on 17. */
    private static void virtualThreads(int port, int count) throws Exception {
        ExecutorService pool = newVirtualOrPlatformPool();
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Callable<Integer> task = () -> {
                    try (Socket socket = new Socket("127.0.0.1", port)) {
                        return echo(socket);
                    }
                };
                results.add(pool.submit(task));
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

    private static ExecutorService newVirtualOrPlatformPool() throws ReflectiveOperationException {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            return Executors.newFixedThreadPool(8);
        }
    }

    /** Uses the app's own Byte Buddy and SLF4J (other versions than the agent's), then connects. */
    private static void appLibraries(int port) throws Exception {
        Class<?> generated = new net.bytebuddy.ByteBuddy().subclass(Object.class).name("probe.Generated").make()
                .load(ProbeApp.class.getClassLoader()).getLoaded();
        org.slf4j.LoggerFactory.getLogger("probe.app").info("app logging works");
        String byteBuddyJar = net.bytebuddy.ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        int line = nextLine();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            System.out.println("PROBE libraries generated=" + generated.getName() + " bytebuddy=" + byteBuddyJar
                    + " echoed=" + echo(socket) + " line=" + line + " agentByteBuddy="
                    + visibility("dev.socksbridge.shaded.net.bytebuddy.ByteBuddy") + " agentProxy="
                    + visibility("dev.socksbridge.shaded.proxy.Socks5Server") + " agentStart="
                    + visibility("dev.socksbridge.agent.AgentStarter") + " hooks="
                    + visibility("dev.socksbridge.agent.bootstrap.Hooks"));
        }
    }

    /** Whether the app's class loader can load an agent class, and from which loader it comes then. */
    private static String visibility(String className) {
        try {
            ClassLoader loader = Class.forName(className, false, ProbeApp.class.getClassLoader()).getClassLoader();
            return loader == null ? "boot" : "visible";
        } catch (ClassNotFoundException e) {
            return "hidden";
        }
    }

    /** Sends {@link #PAYLOAD} bytes, half-closes, reads everything back. */
    static int echo(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(new byte[PAYLOAD]);
        socket.shutdownOutput();
        return socket.getInputStream().readAllBytes().length;
    }

    /** The source line after the caller's: where the connecting call is. */
    private static int nextLine() {
        return StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst()).orElseThrow().getLineNumber() + 1;
    }
}
