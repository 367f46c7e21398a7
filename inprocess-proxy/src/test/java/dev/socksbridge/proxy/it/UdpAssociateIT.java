package dev.socksbridge.proxy.it;

import static dev.socksbridge.proxy.ConnectionPolicy.allowIf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.support.Await;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.Limits;
import dev.socksbridge.proxy.it.support.RawSocksClient;
import dev.socksbridge.proxy.it.support.ServerThreads;
import dev.socksbridge.proxy.it.support.Socks5Bytes;
import dev.socksbridge.proxy.it.support.UdpEcho;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** UDP ASSOCIATE (RFC 1928 sections 6-7) with a raw client, a UDP echo target and real datagrams on loopback. */
@Timeout(120)
class UdpAssociateIT {

    private static final byte[] LOCALHOST = {127, 0, 0, 1};

    private final EventRecorder events = new EventRecorder();

    @Test
    void roundTripsWithIpv4AndDomainHeadersAndCountsBothWays() throws Exception {
        try (UdpEcho echo = UdpEcho.start();
                Socks5Server server = Socks5Server.builder().listener(events).build().start();
                DatagramSocket udp = udpClient(InetAddress.getLoopbackAddress())) {
            try (RawSocksClient control = RawSocksClient.connect(server.address())) {
                InetSocketAddress relay = associate(control, LOCALHOST, udp.getLocalPort());
                assertEquals(server.address().getAddress(), relay.getAddress(), "the interface the client came in on");

                udp.send(datagram(ipv4Header(LOCALHOST, echo.port()), "ping v4", relay));
                assertReply(udp, ipv4Header(LOCALHOST, echo.port()), "ping v4");
                udp.send(datagram(domainHeader("localhost", echo.port()), "ping name", relay));
                assertReply(udp, ipv4Header(LOCALHOST, echo.port()), "ping name"); // wrapped with the sender's address
            }
            ConnectionEvent closed = events.nextClose();
            assertEquals(Command.UDP_ASSOCIATE, closed.command());
            assertEquals(Outcome.OK, closed.outcome());
            assertEquals(new Destination("127.0.0.1", udp.getLocalPort()), closed.destination());
            assertEquals(2, closed.datagramsUp());
            assertEquals(2, closed.datagramsDown());
            assertEquals(0, closed.datagramsDropped());
            assertEquals(16, closed.bytesUp());
            assertEquals(16, closed.bytesDown());
            assertNull(closed.failure());
        }
    }

    @Test
    void datagramsFromAnotherAddressAreNeverRelayedToTheirDestination() throws Exception {
        try (UdpEcho echo = UdpEcho.start();
                Socks5Server server = Socks5Server.builder().listener(events).build().start();
                DatagramSocket udp = udpClient(InetAddress.getLoopbackAddress());
                DatagramSocket stranger = udpClient(InetAddress.getByName("127.0.0.2"))) {
            try (RawSocksClient control = RawSocksClient.connect(server.address())) {
                // Declared 0.0.0.0:0: the client's datagrams are the first ones from its control connection's IP.
                InetSocketAddress relay = associate(control, new byte[4], 0);
                // Both land in the relay socket's queue in this order (one socket, one loop): the stranger's is
                // handled first, while no client datagram has been seen yet.
                stranger.send(datagram(ipv4Header(LOCALHOST, echo.port()), "from a stranger", relay));
                udp.send(datagram(ipv4Header(LOCALHOST, echo.port()), "from the client", relay));
                assertReply(udp, ipv4Header(LOCALHOST, echo.port()), "from the client");

                // Once the client is known, a datagram from an address that is neither the client nor a target
                // it sent to is dropped (RFC 1928 section 7): it never reaches the client, nor the DST inside it.
                // Sent before the client's next one, so the client would receive it first were it relayed.
                stranger.send(datagram(ipv4Header(LOCALHOST, echo.port()), "not a request", relay));
                udp.send(datagram(ipv4Header(LOCALHOST, echo.port()), "again from the client", relay));
                assertReply(udp, ipv4Header(LOCALHOST, echo.port()), "again from the client");
            }
            assertEquals(List.of("from the client", "again from the client"), echo.received(),
                    "only the client's datagrams reached the target");
            ConnectionEvent closed = events.nextClose();
            assertEquals(2, closed.datagramsDropped(), "both of the stranger's");
            assertEquals(2, closed.datagramsUp());
            assertEquals(2, closed.datagramsDown());
        }
    }

    @Test
    void fragmentsAndPolicyDenialsAreDroppedAndCounted() throws Exception {
        try (UdpEcho echo = UdpEcho.start();
                UdpEcho forbidden = UdpEcho.start();
                Socks5Server server = Socks5Server.builder().listener(events)
                        .policy(allowIf(request -> request.destination().port() != forbidden.port())).build().start();
                DatagramSocket udp = udpClient(InetAddress.getLoopbackAddress())) {
            try (RawSocksClient control = RawSocksClient.connect(server.address())) {
                InetSocketAddress relay = associate(control, LOCALHOST, udp.getLocalPort());
                byte[] fragment = ipv4Header(LOCALHOST, echo.port());
                fragment[2] = 1; // FRAG 1: this relay does not reassemble
                udp.send(datagram(fragment, "fragment", relay));
                udp.send(datagram(ipv4Header(LOCALHOST, forbidden.port()), "denied", relay));
                udp.send(datagram(ipv4Header(LOCALHOST, echo.port()), "whole", relay));
                assertReply(udp, ipv4Header(LOCALHOST, echo.port()), "whole");
            }
            ConnectionEvent closed = events.nextClose();
            assertEquals(2, closed.datagramsDropped());
            assertEquals(1, closed.datagramsUp());
            assertEquals(List.of("whole"), echo.received());
            assertEquals(List.of(), forbidden.received());
        }
    }

    @Test
    void theAssociationEndsWithItsControlConnection() throws Exception {
        try (UdpEcho echo = UdpEcho.start();
                Socks5Server server = Socks5Server.builder().listener(events).build().start();
                DatagramSocket udp = udpClient(InetAddress.getLoopbackAddress())) {
            InetSocketAddress relay;
            try (RawSocksClient control = RawSocksClient.connect(server.address())) {
                relay = associate(control, LOCALHOST, udp.getLocalPort());
                udp.send(datagram(ipv4Header(LOCALHOST, echo.port()), "alive", relay));
                assertReply(udp, ipv4Header(LOCALHOST, echo.port()), "alive");
            }
            assertEquals(Outcome.OK, events.nextClose().outcome());
            Await.until("the relay's UDP port is free again", Limits.IO, () -> canBind(relay));
            Await.until("no session left", Limits.IO, () -> server.activeSessions() == 0);
            Await.until("the UDP loop's thread ended", Limits.IO, UdpAssociateIT::noThreadInTheUdpLoop);
        }
    }

    @Test
    void closeWithALiveAssociationLeavesNoThreadAndNoSocket() throws Exception {
        InetSocketAddress relay;
        try (Socks5Server server = Socks5Server.builder().listener(events).build().start();
                RawSocksClient control = RawSocksClient.connect(server.address())) {
            relay = associate(control, LOCALHOST, 0);
            server.close();
            control.assertClosedByServer();
            assertEquals("server closed", events.nextClose().failure());
        }
        assertEquals(List.of(), ServerThreads.alive("socksbridge-relay-"));
        assertEquals(true, canBind(relay), "the relay socket is closed");
    }

    /** Sends a no-auth UDP ASSOCIATE declaring {@code address:port}; returns the relay address (BND). */
    private static InetSocketAddress associate(RawSocksClient control, byte[] address, int port) throws IOException {
        control.send(Socks5Bytes.greeting(Socks5Bytes.NO_AUTH));
        control.expect(0x05, 0x00);
        control.send(Socks5Bytes.request(Socks5Bytes.UDP_ASSOCIATE, Socks5Bytes.ATYP_IPV4, address, port));
        RawSocksClient.Reply reply = control.readReply();
        reply.assertSucceeded();
        return reply.bound();
    }

    private static DatagramSocket udpClient(InetAddress address) throws SocketException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, 0));
        socket.setSoTimeout(Limits.IO_MILLIS);
        return socket;
    }

    //   RSV   FRAG ATYP DST.ADDR DST.PORT
    //   00 00 00   01   4 bytes  2 bytes
    static byte[] ipv4Header(byte[] address, int port) {
        return Socks5Bytes.concat(new byte[] {0, 0, 0, Socks5Bytes.ATYP_IPV4}, address,
                new byte[] {(byte) (port >>> 8), (byte) port});
    }

    //   RSV   FRAG ATYP LEN NAME DST.PORT
    static byte[] domainHeader(String name, int port) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        return Socks5Bytes.concat(new byte[] {0, 0, 0, Socks5Bytes.ATYP_DOMAIN, (byte) bytes.length}, bytes,
                new byte[] {(byte) (port >>> 8), (byte) port});
    }

    private static DatagramPacket datagram(byte[] header, String payload, InetSocketAddress to) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(header);
        bytes.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        byte[] data = bytes.toByteArray();
        return new DatagramPacket(data, data.length, to);
    }

    /** Receives the next datagram and checks it is {@code header} + {@code payload}. */
    private static void assertReply(DatagramSocket udp, byte[] header, String payload) throws IOException {
        byte[] buffer = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        udp.receive(packet);
        byte[] got = Arrays.copyOf(buffer, packet.getLength());
        assertArrayEquals(header, Arrays.copyOf(got, Math.min(got.length, header.length)),
                () -> "reply header: " + Socks5Bytes.hex(got));
        assertEquals(payload, new String(got, header.length, got.length - header.length, StandardCharsets.UTF_8));
    }

    /**
     * Virtual threads (21+) end with their task: none of the server's is left. Pooled platform threads
     * (17) outlive it, so there: none of them is still inside the UDP loop.
     */
    private static boolean noThreadInTheUdpLoop() {
        if (ServerThreads.virtualThreadsAvailable()) {
            return ServerThreads.alive("socksbridge-relay-").isEmpty();
        }
        return Thread.getAllStackTraces().values().stream().flatMap(Arrays::stream)
                .noneMatch(frame -> frame.getClassName().endsWith(".UdpRelay"));
    }

    private static boolean canBind(InetSocketAddress address) {
        try (DatagramSocket probe = new DatagramSocket(address)) {
            return true;
        } catch (SocketException e) {
            return false;
        }
    }
}
