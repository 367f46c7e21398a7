package dev.socksbridge.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * The services the demo talks to, all embedded and on loopback so the demo needs no network: an HTTP
 * service, TCP and UDP echo servers on 127.0.0.1, and a "partner" TCP echo on {@value #PARTNER_HOST}
 * that demo.sh's policy denies (every 127.x address is loopback on Linux), and a stand-in for the
 * "payments" service the demo calls by a name that resolves nowhere ({@value #PAYMENTS_HOST}): demo.sh routes
 * that name to the stand-in (on the port the system property {@value #STAND_IN_PORT_PROPERTY} names).
 */
final class LocalTargets implements AutoCloseable {
    static final String PARTNER_HOST = "127.0.0.2";
    static final String LOOKUP_HOST = "localhost";
    static final String PAYMENTS_HOST = "payments.demo.invalid";
    static final int PAYMENTS_PORT = 443;
    static final String STAND_IN_PORT_PROPERTY = "demo.standin.port";

    private final HttpTarget http;
    private final TcpEchoServer tcp;
    private final UdpEchoServer udp;
    private final TcpEchoServer partner;
    private final InetSocketAddress closedPort;
    private final TcpEchoServer standIn;

    private LocalTargets(HttpTarget http, TcpEchoServer tcp, UdpEchoServer udp, TcpEchoServer partner,
                         InetSocketAddress closedPort, TcpEchoServer standIn) {
        this.http = http;
        this.tcp = tcp;
        this.udp = udp;
        this.partner = partner;
        this.closedPort = closedPort;
        this.standIn = standIn;
    }

    static LocalTargets start() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        HttpTarget http = HttpTarget.start(loopback);
        TcpEchoServer tcp = null;
        UdpEchoServer udp = null;
        TcpEchoServer partner = null;
        try {
            tcp = TcpEchoServer.start(loopback);
            udp = UdpEchoServer.start(loopback);
            partner = TcpEchoServer.start(InetAddress.getByName(PARTNER_HOST));
            TcpEchoServer standIn = TcpEchoServer.start(loopback, Integer.getInteger(STAND_IN_PORT_PROPERTY, 0));
            return new LocalTargets(http, tcp, udp, partner, closedPort(loopback), standIn);
        } catch (IOException | RuntimeException e) {
            http.close();
            closeQuietly(tcp);
            closeQuietly(udp);
            closeQuietly(partner);
            throw e;
        }
    }

    /** A port that was just free: bind an ephemeral one and release it, so connecting to it is refused. */
    private static InetSocketAddress closedPort(InetAddress address) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, address)) {
            return new InetSocketAddress(address, probe.getLocalPort());
        }
    }

    /** The calls, in the order the demo makes them. */
    List<DemoCall> calls() {
        return List.of(
                new SocketCall("socket", tcp.address()),
                new UrlConnectionCall(http.address(), HttpTarget.PATH),
                new HttpClientCall(http.address(), HttpTarget.PATH),
                new NioChannelCall(tcp.address()),
                new DatagramCall(udp.address()),
                new HostLookupCall(LOOKUP_HOST),
                new SocketCall("denied-partner", partner.address()),
                new SocketCall("closed-port", closedPort),
                // By name, unresolved: only a route (demo.sh's) can take it anywhere, here to the stand-in.
                new SocketCall("payments-by-route", InetSocketAddress.createUnresolved(PAYMENTS_HOST, PAYMENTS_PORT)));
    }

    /** One line naming every embedded target, so a reader can match the agent's log lines to them. */
    String describe() {
        return "http " + text(http.address()) + ", tcp-echo " + text(tcp.address()) + ", udp-echo "
                + text(udp.address()) + ", partner " + text(partner.address()) + ", closed port " + text(closedPort)
                + ", payments stand-in " + text(standIn.address());
    }

    /** {@code host:port} as the app names it; {@code host} alone when there is no port (a name lookup). */
    static String text(InetSocketAddress address) {
        return address.getHostString() + (address.getPort() == 0 ? "" : ":" + address.getPort());
    }

    private static void closeQuietly(AutoCloseable target) {
        if (target == null) {
            return;
        }
        try {
            target.close();
        } catch (Exception e) {
            // Already failing to start: the original exception is the one worth reporting.
        }
    }

    @Override
    public void close() {
        http.close();
        closeQuietly(tcp);
        udp.close();
        closeQuietly(partner);
        closeQuietly(standIn);
    }
}
