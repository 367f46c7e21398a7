import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Accepts and closes connections on a loopback port (printed first) until killed: the churn bench's peer. */
public final class ChurnServer {
    public static void main(String[] args) throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress())) {
            System.out.println(server.getLocalPort());
            System.out.flush();
            while (true) {
                try (Socket client = server.accept()) {
                    client.getLocalPort(); // accepted; closing it is all this server does
                }
            }
        }
    }
}
