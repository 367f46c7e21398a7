import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Connections per second of a connect + 64-byte echo + close loop against an echo server in the same JVM
 * (bench only). Usage: ConnectBench WARMUP COUNT
 */
public final class ConnectBench {

    public static void main(String[] args) throws Exception {
        int warmup = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        try (ServerSocket server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> serve(server));
            acceptor.setDaemon(true);
            acceptor.start();
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.getLocalPort());
            loop(target, warmup);
            long start = System.nanoTime();
            loop(target, count);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%.0f%n", count / seconds);
        }
    }

    private static void loop(InetSocketAddress target, int count) throws IOException {
        byte[] payload = new byte[64];
        for (int i = 0; i < count; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(target, 10_000);
                socket.getOutputStream().write(payload);
                socket.shutdownOutput();
                if (socket.getInputStream().readAllBytes().length != payload.length) {
                    throw new IOException("short echo");
                }
            }
        }
    }

    private static void serve(ServerSocket server) {
        while (true) {
            try {
                Socket client = server.accept();
                Thread session = new Thread(() -> echo(client));
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void echo(Socket client) {
        try (client; InputStream in = client.getInputStream()) {
            in.transferTo(client.getOutputStream());
            client.shutdownOutput();
        } catch (IOException e) {
            // the client went away
        }
    }
}
