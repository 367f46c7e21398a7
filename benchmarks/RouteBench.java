import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.route.RouteTable;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Route lookup cost, for benchmarks/route-bench.sh (a benchmark, not a test).
 *
 *   java -cp PROXY_JAR:. RouteBench connect ROUTES WARMUP COUNT   connections/s through the server
 *   java -cp PROXY_JAR:. RouteBench lookup ROUTES COUNT           nanoseconds per first lookup of a destination
 *
 * ROUTES is 0 (no route table) or N: N routes none of which matches the benchmark's destination (the worst
 * case: every lookup walks the whole list), a mix of names, wildcards, CIDR ranges and ports, as a real
 * config would have.
 */
public final class RouteBench {

    public static void main(String[] args) throws Exception {
        int routes = Integer.parseInt(args[1]);
        if (args[0].equals("lookup")) {
            lookup(routes, Integer.parseInt(args[2]));
        } else {
            connect(routes, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        }
    }

    static List<String> routes(int count) {
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            switch (i % 4) {
                case 0 -> texts.add("service-" + i + ".corp.invalid:443 -> socks5://127.0.0.1:1080");
                case 1 -> texts.add("*.zone-" + i + ".invalid -> http://127.0.0.1:3128");
                case 2 -> texts.add("10." + (i % 250) + "." + (i / 250) + ".0/24 -> block");
                default -> texts.add("192.0.2." + (i % 250) + ":" + (1000 + i) + " -> 127.0.0.1:9");
            }
        }
        return texts;
    }

    /**
     * The first lookup of each destination (a new port every time, half IP literals, half names): the walk
     * over every route, before the table remembers the answer.
     */
    static void lookup(int count, int lookups) {
        RouteTable table = RouteTable.parse("bench", routes(count));
        long sink = 0;
        for (int i = 0; i < lookups; i++) { // warm-up, on destinations the timed loop does not use
            sink += table.actionFor(destination(i, 20000)).hashCode();
        }
        long start = System.nanoTime();
        for (int i = 0; i < lookups; i++) {
            sink += table.actionFor(destination(i, 40000)).hashCode();
        }
        long nanos = System.nanoTime() - start;
        System.out.printf("%.1f%n", (double) nanos / lookups);
        if (sink == 42) {
            System.err.println(); // keeps the JIT from dropping the loop
        }
    }

    static Destination destination(int i, int portBase) {
        return new Destination((i & 1) == 0 ? "127.0.0.1" : "api.example.com", portBase + i % 20000);
    }

    static void connect(int count, int warmup, int connections) throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> serve(echo), "echo");
            acceptor.setDaemon(true);
            acceptor.start();
            Socks5Server.Builder builder = Socks5Server.builder();
            if (count > 0) {
                builder.router(RouteTable.parse("bench", routes(count)));
            }
            try (Socks5Server server = builder.build().start()) {
                Proxy proxy = new Proxy(Proxy.Type.SOCKS, server.address());
                InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort());
                byte[] payload = new byte[64];
                for (int i = 0; i < warmup; i++) {
                    roundTrip(proxy, target, payload);
                }
                long start = System.nanoTime();
                for (int i = 0; i < connections; i++) {
                    roundTrip(proxy, target, payload);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("%.0f%n", connections / seconds);
            }
        }
    }

    static void roundTrip(Proxy proxy, InetSocketAddress target, byte[] payload) throws Exception {
        try (Socket socket = new Socket(proxy)) {
            socket.connect(target, 10_000);
            OutputStream out = socket.getOutputStream();
            out.write(payload);
            InputStream in = socket.getInputStream();
            if (in.readNBytes(payload.length).length != payload.length) {
                throw new IllegalStateException("short echo");
            }
        }
    }

    static void serve(ServerSocket echo) {
        while (true) {
            try {
                Socket client = echo.accept();
                Thread session = new Thread(() -> {
                    try (client) {
                        client.getInputStream().transferTo(client.getOutputStream());
                    } catch (Exception e) {
                        // the client went away
                    }
                });
                session.setDaemon(true);
                session.start();
            } catch (Exception e) {
                return;
            }
        }
    }
}
