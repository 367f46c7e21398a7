import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The design's floor, for benchmarks only (never shipped): the least a SOCKS5 server built like
 * socksbridge's can do per connection. Blocking sockets, one virtual thread per session that answers the
 * handshake and then pumps client to target, one more virtual thread for target to client; no
 * authentication, no policy, no events, no limits, no timeouts, CONNECT to an IPv4 address only, no error
 * replies (a failure just closes). `benchmarks/conn-rate.sh` runs it beside the CLI and microsocks
 * (`VARIANTS='floor=src:benchmarks/MinimalSocks.java'`): whatever rate this reaches, the CLI cannot beat
 * without leaving the design; the gap between the two is what socksbridge's own code costs.
 *
 * <p>Usage: {@code java MinimalSocks.java --bind ADDRESS --port PORT} (JDK 21+). The agent's benchmark
 * also runs it inside the client's JVM ({@code agent/bench/InProcessFloor.java}).
 */
public final class MinimalSocks {

    public static void main(String[] args) throws IOException {
        InetAddress bind = InetAddress.getByName(args[1]);
        int port = Integer.parseInt(args[3]);
        serve(new ServerSocket(port, 1024, bind));
    }

    /** Accepts until the server socket fails or closes. */
    public static void serve(ServerSocket server) {
        try (server) {
            while (true) {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> session(client));
            }
        } catch (IOException e) {
            // closed: the benchmark is over
        }
    }

    private static void session(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            byte[] greeting = in.readNBytes(2);
            in.readNBytes(greeting[1]); // the methods offered: "no authentication" is assumed
            out.write(new byte[] {5, 0});
            byte[] request = in.readNBytes(10); // VER CMD RSV ATYP=1 IPv4(4) PORT(2)
            InetAddress address = InetAddress.getByAddress(java.util.Arrays.copyOfRange(request, 4, 8));
            int port = (request[8] & 0xff) << 8 | request[9] & 0xff;
            try (Socket target = new Socket(Proxy.NO_PROXY)) { // never through the JVM's own SOCKS settings
                target.connect(new InetSocketAddress(address, port));
                out.write(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0});
                Thread back = Thread.ofVirtual().start(() -> pump(target, client));
                pump(client, target);
                back.join();
            }
        } catch (IOException | InterruptedException e) {
            // the floor measures the happy path; a failed session just ends
        }
    }

    /** Copies until end of stream, then half-closes the other side. */
    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // the other side closed: the session ends
        }
    }
}
