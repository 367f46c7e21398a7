import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Starts {@code benchmarks/MinimalSocks.java}, the design's floor, inside the benchmark's own JVM and points
 * the JDK's SOCKS client at it, as the agent does with its in-process proxy (bench only; JDK 21+).
 * {@code ConnectBench} calls {@link #start()} when run with {@code -Dbench.inProcessFloor=true}.
 */
public final class InProcessFloor {

    private InProcessFloor() {
    }

    public static void start() throws Exception {
        ServerSocket server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("floor-accept").start(() -> MinimalSocks.serve(server));
        System.setProperty("socksProxyHost", "127.0.0.1");
        System.setProperty("socksProxyPort", Integer.toString(server.getLocalPort()));
        System.setProperty("socksNonProxyHosts", ""); // the JDK's default leaves loopback direct
    }
}
