import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A NIO client against servers in the same JVM (bench only): connections per second of a blocking
 * SocketChannel connect + 64-byte echo + close loop, then bulk throughput of one SocketChannel sending
 * MIB mebibytes to a discarding server. Prints "CONNS_PER_S MIB_PER_S".
 * Usage: NioBench WARMUP COUNT MIB
 */
public final class NioBench {

    public static void main(String[] args) throws Exception {
        int warmup = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        int mebibytes = Integer.parseInt(args[2]);
        try (ServerSocket echo = server(true); ServerSocket sink = server(false)) {
            InetSocketAddress echoAt = new InetSocketAddress("127.0.0.1", echo.getLocalPort());
            connectLoop(echoAt, warmup);
            long start = System.nanoTime();
            connectLoop(echoAt, count);
            double rate = count / ((System.nanoTime() - start) / 1e9);
            InetSocketAddress sinkAt = new InetSocketAddress("127.0.0.1", sink.getLocalPort());
            bulk(sinkAt, Math.max(1, mebibytes / 8)); // warm-up
            start = System.nanoTime();
            bulk(sinkAt, mebibytes);
            double throughput = mebibytes / ((System.nanoTime() - start) / 1e9);
            System.out.printf("%.0f %.0f%n", rate, throughput);
        }
    }

    private static void connectLoop(InetSocketAddress target, int count) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(128);
        for (int i = 0; i < count; i++) {
            try (SocketChannel channel = SocketChannel.open(target)) {
                channel.write(ByteBuffer.allocate(64));
                channel.shutdownOutput();
                int total = 0;
                for (int n = 0; n >= 0; n = channel.read(in.clear())) {
                    total += n;
                }
                if (total != 64) {
                    throw new IOException("short echo: " + total);
                }
            }
        }
    }

    /** Sends MIB mebibytes, half-closes, waits for the server to close after reading them all. */
    private static void bulk(InetSocketAddress target, int mebibytes) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
        try (SocketChannel channel = SocketChannel.open(target)) {
            for (long left = (long) mebibytes << 20; left > 0; left -= chunk.capacity()) {
                chunk.clear();
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
            }
            channel.shutdownOutput();
            if (channel.read(ByteBuffer.allocate(1)) != -1) {
                throw new IOException("sink answered");
            }
        }
    }

    private static ServerSocket server(boolean echo) throws IOException {
        ServerSocket server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (true) {
                try {
                    // the client connects one at a time: answered on the accepting thread, as ConnectBench does
                    serve(server.accept(), echo);
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    private static void serve(Socket client, boolean echo) {
        try (client; InputStream in = client.getInputStream()) {
            if (echo) {
                in.transferTo(client.getOutputStream());
            } else {
                byte[] buffer = new byte[64 * 1024];
                while (in.read(buffer) >= 0) {
                    // discard
                }
            }
            client.shutdownOutput();
        } catch (IOException e) {
            // the client went away
        }
    }
}
