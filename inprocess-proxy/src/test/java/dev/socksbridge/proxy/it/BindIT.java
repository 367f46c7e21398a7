package dev.socksbridge.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Protocol;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.support.Await;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.Limits;
import dev.socksbridge.proxy.it.support.RawSocksClient;
import dev.socksbridge.proxy.it.support.ServerThreads;
import dev.socksbridge.proxy.it.support.Socks5Bytes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** BIND (RFC 1928 section 4 and SOCKS4 CD 2) with raw clients and real peers on loopback addresses. */
@Timeout(120)
class BindIT {

    private static final byte[] LOCALHOST = {127, 0, 0, 1};

    private final EventRecorder events = new EventRecorder();

    @Test
    void onlyAPeerFromDstAddrIsAcceptedThenBothWaysAreRelayed() throws Exception {
        try (Socks5Server server = Socks5Server.builder().listener(events).build().start();
                RawSocksClient client = RawSocksClient.connect(server.address())) {
            InetSocketAddress listening = bind(client, LOCALHOST);
            assertEquals(InetAddress.getLoopbackAddress(), listening.getAddress(), "listens on the address toward DST");

            // A peer from 127.0.0.2 is not DST.ADDR 127.0.0.1: the proxy closes it and keeps waiting.
            try (Socket wrong = peer(InetAddress.getByName("127.0.0.2"), listening)) {
                assertClosedWithoutData(wrong);
            }
            try (Socket right = peer(InetAddress.getLoopbackAddress(), listening)) {
                RawSocksClient.Reply second = client.readReply();
                second.assertSucceeded();
                assertEquals(right.getLocalSocketAddress(), second.bound(), "the second reply names the peer");

                client.send("to the peer");
                assertEquals("to the peer", new String(right.getInputStream().readNBytes(11), StandardCharsets.UTF_8));
                right.getOutputStream().write("to the client".getBytes(StandardCharsets.UTF_8));
                assertEquals("to the client", new String(client.read(13), StandardCharsets.UTF_8));
                client.shutdownOutput();
                assertEquals(-1, right.getInputStream().read(), "half-close reaches the peer");
                right.shutdownOutput();
                assertEquals(0, client.readToEof().length);

                ConnectionEvent closed = events.nextClose();
                assertEquals(Command.BIND, closed.command());
                assertEquals(Outcome.OK, closed.outcome());
                assertEquals(right.getLocalSocketAddress(), closed.reached());
                assertEquals(11, closed.bytesUp());
                assertEquals(13, closed.bytesDown());
            }
        }
    }

    @Test
    void noPeerWithinBindTimeoutGetsTtlExpiredAndClosesThePort() throws Exception {
        try (Socks5Server server = Socks5Server.builder().listener(events).bindTimeout(Duration.ofMillis(300))
                .build().start();
                RawSocksClient client = RawSocksClient.connect(server.address())) {
            InetSocketAddress listening = bind(client, new byte[4]); // 0.0.0.0: any peer would do
            assertEquals(0x06, client.readReply().code(), "second reply: TTL expired");
            client.assertClosedByServer();
            ConnectionEvent closed = events.nextClose();
            assertEquals(Outcome.TIMEOUT, closed.outcome());
            assertTrue(closed.failure().contains("bindTimeout (300ms)"), closed.failure());
            assertThrows(ConnectException.class, () -> peer(InetAddress.getLoopbackAddress(), listening).close());
        }
    }

    @Test
    void theListeningSocketEndsWithTheControlConnection() throws Exception {
        try (Socks5Server server = Socks5Server.builder().listener(events).build().start()) {
            InetSocketAddress listening;
            try (RawSocksClient client = RawSocksClient.connect(server.address())) {
                listening = bind(client, LOCALHOST);
            }
            ConnectionEvent closed = events.nextClose();
            assertEquals("client closed before the BIND peer connected", closed.failure());
            assertThrows(ConnectException.class, () -> peer(InetAddress.getLoopbackAddress(), listening).close());
            Await.until("no session left", Limits.IO, () -> server.activeSessions() == 0);
        }
    }

    @Test
    void closeDuringTheWaitLeavesNoThreadAndNoListeningSocket() throws Exception {
        InetSocketAddress listening;
        try (Socks5Server server = Socks5Server.builder().listener(events).build().start();
                RawSocksClient client = RawSocksClient.connect(server.address())) {
            listening = bind(client, LOCALHOST);
            server.close();
            client.assertClosedByServer();
            assertEquals("server closed", events.nextClose().failure());
        }
        assertEquals(java.util.List.of(), ServerThreads.alive("socksbridge-relay-"));
        assertThrows(ConnectException.class, () -> peer(InetAddress.getLoopbackAddress(), listening).close());
    }

    @Test
    void socks4BindAnswersTwiceWithVn0AndRelays() throws Exception {
        try (Socks5Server server = Socks5Server.builder().listener(events).build().start();
                RawSocksClient client = RawSocksClient.connect(server.address())) {
            //                       VN CD DSTPORT DSTIP       USERID "ftp" NULL
            client.send(new byte[] {4, 2, 0, 21, 127, 0, 0, 1, 'f', 't', 'p', 0});
            byte[] first = client.read(8);
            assertEquals(0x00, first[0]);
            assertEquals(0x5A, first[1] & 0xFF);
            int port = (first[2] & 0xFF) << 8 | (first[3] & 0xFF);
            assertEquals(InetAddress.getLoopbackAddress(), InetAddress.getByAddress(java.util.Arrays.copyOfRange(first, 4, 8)));
            try (Socket peer = peer(InetAddress.getLoopbackAddress(), new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                byte[] second = client.read(8);
                assertEquals(0x5A, second[1] & 0xFF);
                assertEquals(peer.getLocalPort(), (second[2] & 0xFF) << 8 | (second[3] & 0xFF));
                peer.getOutputStream().write("220 ready\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("220 ready\r\n", new String(client.read(11), StandardCharsets.US_ASCII));
            }
            assertEquals(0, client.readToEof().length, "the peer's close reaches the client");
            client.close();
            ConnectionEvent closed = events.nextClose();
            assertEquals(Protocol.SOCKS4, closed.protocol());
            assertEquals(Command.BIND, closed.command());
            assertEquals("ftp", closed.user());
            assertEquals(0x5A, closed.replyCode());
        }
    }

    /** Sends a no-auth SOCKS5 BIND for DST {@code address}:0 and returns the first reply's BND. */
    private static InetSocketAddress bind(RawSocksClient client, byte[] address) throws IOException {
        client.send(Socks5Bytes.greeting(Socks5Bytes.NO_AUTH));
        client.expect(0x05, 0x00);
        client.send(Socks5Bytes.request(Socks5Bytes.BIND, Socks5Bytes.ATYP_IPV4, address, 0));
        RawSocksClient.Reply first = client.readReply();
        first.assertSucceeded();
        return first.bound();
    }

    private static Socket peer(InetAddress from, InetSocketAddress to) throws IOException {
        Socket socket = new Socket(Proxy.NO_PROXY);
        try {
            socket.setSoTimeout(Limits.IO_MILLIS);
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(to, Limits.IO_MILLIS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static void assertClosedWithoutData(Socket socket) throws IOException {
        try {
            assertEquals(-1, socket.getInputStream().read(), "the proxy closes a peer from the wrong address");
        } catch (SocketException e) {
            // a reset is a close too
        }
    }
}
