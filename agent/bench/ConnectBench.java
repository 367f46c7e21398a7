import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Connections per second of a connect + 64-byte echo + close loop against an echo server in the same JVM
 * (bench only). Usage: ConnectBench WARMUP COUNT [exact]
 *
 * <p>By default the client half-closes after its 64 bytes and reads the echo to end of stream; with
 * {@code exact} the server echoes 64 bytes and closes first, the client reads exactly 64 bytes back and
 * closes: for SOCKS servers that do not relay a half-close (microsocks closes both sides on the client's
 * FIN), and so that TIME_WAIT entries stay on the server's side instead of filling the proxy's ephemeral
 * ports (dante binds its outbound sockets, which rules out reusing them).
 */
public final class ConnectBench {

    public static void main(String[] args) throws Exception {
        int warmup = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        boolean exact = args.length > 2 && args[2].equals("exact");
        if (Boolean.getBoolean("bench.inProcessFloor")) { // socket-peers.sh: the design's floor, in this JVM
            Class.forName("InProcessFloor").getMethod("start").invoke(null);
        }
        try (ServerSocket server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> serve(server, exact));
            acceptor.setDaemon(true);
            acceptor.start();
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.getLocalPort());
            loop(target, warmup, exact);
            long start = System.nanoTime();
            loop(target, count, exact);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%.0f%n", count / seconds);
        }
    }

    private static void loop(InetSocketAddress target, int count, boolean exact) throws IOException {
        byte[] payload = new byte[64];
        for (int i = 0; i < count; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(target, 10_000);
                socket.getOutputStream().write(payload);
                if (!exact) {
                    socket.shutdownOutput();
                }
                InputStream in = socket.getInputStream();
                byte[] echo = exact ? in.readNBytes(payload.length) : in.readAllBytes();
                if (echo.length != payload.length) {
                    throw new IOException("short echo");
                }
            }
        }
    }

    private static void serve(ServerSocket server, boolean exact) {
        while (true) {
            try {
                // the loop connects one at a time, so the server answers on its accepting thread: a thread
                // started per connection cost more than the connection and made the rates noisy
                echo(server.accept(), exact);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void echo(Socket client, boolean exact) {
        try (client; InputStream in = client.getInputStream()) {
            if (exact) {
                client.getOutputStream().write(in.readNBytes(64));
                return;
            }
            in.transferTo(client.getOutputStream());
            client.shutdownOutput();
        } catch (IOException e) {
            // the client went away
        }
    }
}
