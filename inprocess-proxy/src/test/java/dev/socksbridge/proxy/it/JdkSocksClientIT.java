package dev.socksbridge.proxy.it;

import static dev.socksbridge.proxy.ConnectionPolicy.allowIf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.ConnectionEvent.Verdict;
import dev.socksbridge.proxy.ConnectionPolicy.Decision;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.support.EchoTarget;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.FullBacklog;
import dev.socksbridge.proxy.it.support.Limits;
import dev.socksbridge.proxy.it.support.LocalHttpServer;
import dev.socksbridge.proxy.it.support.LoopbackServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDK's own SOCKS client ({@code java.net.SocksSocketImpl}) through the server. */
@Timeout(120)
class JdkSocksClientIT {

    private final EventRecorder events = new EventRecorder();
    @RegisterExtension
    final EchoTarget echo = new EchoTarget();

    @Test
    void connectsToAResolvedTargetAndReportsItsIpAsTheDestination() throws Exception {
        try (Socks5Server server = Socks5Server.builder().listener(events).build().start()) {
            assertEchoesThrough(server.address(), echo.address());
        }
        ConnectionEvent closed = events.nextClose();
        assertEquals(new Destination("127.0.0.1", echo.port()), closed.destination());
        assertEquals(echo.address(), closed.reached());
        assertEquals(Outcome.OK, closed.outcome());
        assertEquals(Verdict.ALLOWED, closed.policy(), "the default policy allows all");
        assertNull(closed.failure());
    }

    /**
     * The client has read the last byte, so the relay is over even if its threads have not returned yet:
     * closing the server then must not turn a finished session into a failed one.
     */
    @Test
    void closingTheServerRightAfterAFinishedRelayRecordsNoFailure() throws Exception {
        for (int round = 0; round < 150; round++) {
            try (Socks5Server server = Socks5Server.builder().listener(events).build().start()) {
                assertEchoesThrough(server.address(), echo.address());
            }
            ConnectionEvent closed = events.nextClose();
            assertEquals(Outcome.OK, closed.outcome(), "round " + round);
            assertNull(closed.failure(), "round " + round);
        }
    }

    /** The client has its refusal, so the session's outcome is decided: closing the server does not replace it. */
    @Test
    void closingTheServerRightAfterARefusalKeepsTheRefusalsReason() throws Exception {
        for (int round = 0; round < 150; round++) {
            try (Socks5Server server = Socks5Server.builder().listener(events)
                    .policy(allowIf(request -> false)).build().start()) {
                assertThrows(SocketException.class, () -> connectThrough(server.address(), echo.address()));
            }
            ConnectionEvent closed = events.nextClose();
            assertEquals(Outcome.DENIED, closed.outcome(), "round " + round);
            assertEquals("denied by policy", closed.failure(), "round " + round);
        }
    }

    @Test
    void sendsAnUnresolvedNameForTheProxyToResolve() throws Exception {
        // The proxy resolves "localhost" the way this JVM does, so the target listens where it will look.
        try (LoopbackServer localhostEcho = LoopbackServer.start(
                     InetAddress.getByName("localhost"), "localhost-echo", LoopbackServer.Targets::echo);
             Socks5Server server = Socks5Server.builder().listener(events).build().start()) {
            assertEchoesThrough(server.address(), InetSocketAddress.createUnresolved("localhost", localhostEcho.port()));
            ConnectionEvent closed = events.nextClose();
            assertEquals("localhost", closed.destination().host(), "destination as the client named it");
            assertEquals(localhostEcho.address(), closed.reached());
        }
    }

    @Test
    void serverBoundToIpv6LoopbackServesTheJdkClient() throws Exception {
        try (Socks5Server server = Socks5Server.builder().bindAddress(InetAddress.getByName("::1"))
                .listener(events).build().start()) {
            assertEquals(InetAddress.getByName("::1"), server.address().getAddress());
            assertEchoesThrough(server.address(), echo.address());
        }
        assertEquals(Outcome.OK, events.nextClose().outcome());
    }

    @Test
    void httpUrlConnectionFetchesAPageThroughASocksProxy() throws Exception {
        try (LocalHttpServer http = LocalHttpServer.start(InetAddress.getLoopbackAddress());
             Socks5Server server = Socks5Server.builder().listener(events).build().start()) {
            HttpURLConnection connection = (HttpURLConnection) http.uri("127.0.0.1").toURL()
                    .openConnection(new Proxy(Proxy.Type.SOCKS, server.address()));
            connection.setConnectTimeout(Limits.IO_MILLIS);
            connection.setReadTimeout(Limits.IO_MILLIS);
            try (InputStream body = connection.getInputStream()) {
                assertEquals(200, connection.getResponseCode());
                assertEquals(http.body(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            } finally {
                connection.disconnect();
            }
            ConnectionEvent closed = events.nextClose();
            assertEquals(new Destination("127.0.0.1", http.port()), closed.destination());
            assertTrue(closed.bytesDown() > http.body().length(), "the response came through the proxy");
        }
    }

    @Test
    void deniedDestinationGivesTheJdksNotAllowedByRulesetError() throws Exception {
        try (Socks5Server server = Socks5Server.builder().listener(events)
                .policy(allowIf(request -> request.destination().port() != echo.port())).build().start()) {
            SocketException error = assertThrows(SocketException.class, () -> connectThrough(server.address(), echo.address()));
            assertEquals("SOCKS: Connection not allowed by ruleset", error.getMessage());
        }
        ConnectionEvent closed = events.nextClose();
        assertEquals(Outcome.DENIED, closed.outcome());
        assertEquals(0x02, closed.replyCode());
        assertNull(closed.reached(), "a denied request is never dialled");
        assertEquals(Verdict.DENIED, closed.policy());
        assertEquals("denied by policy", closed.failure(), "a predicate gives no reason");
        assertEquals(0, echo.accepted(), "the target saw no connection");
    }

    @Test
    void aLibraryPolicysDenialAndItsReasonAreOnTheEventTheListenerGets() throws Exception {
        String reason = "no partner agreement for port " + echo.port();
        try (Socks5Server server = Socks5Server.builder().listener(events)
                .policy(request -> Decision.deny(reason)).build().start()) {
            SocketException error = assertThrows(SocketException.class, () -> connectThrough(server.address(), echo.address()));
            assertEquals("SOCKS: Connection not allowed by ruleset", error.getMessage());
        }
        ConnectionEvent closed = events.nextClose();
        assertEquals(Outcome.DENIED, closed.outcome());
        assertEquals(0x02, closed.replyCode());
        assertEquals(Verdict.DENIED, closed.policy());
        assertEquals(reason, closed.failure(), "the reason replaces the bare \"denied by policy\"");
        assertEquals(0, echo.accepted(), "the target saw no connection");
    }

    @Test
    void aWouldDenyProceedsAndItsReasonIsAddedToWhateverElseFailed() throws Exception {
        InetSocketAddress closedPort = closedLoopbackPort();
        String reason = "monitored: loopback is not a partner";
        try (Socks5Server server = Socks5Server.builder().listener(events)
                .policy(request -> Decision.wouldDeny(reason)).build().start()) {
            assertEchoesThrough(server.address(), echo.address());
            ConnectionEvent relayed = events.nextClose();
            assertEquals(Outcome.OK, relayed.outcome());
            assertEquals(Verdict.WOULD_DENY, relayed.policy());
            assertEquals(reason, relayed.failure());

            assertThrows(SocketException.class, () -> connectThrough(server.address(), closedPort));
            ConnectionEvent refused = events.nextClose();
            assertEquals(Outcome.REFUSED, refused.outcome());
            assertEquals(Verdict.WOULD_DENY, refused.policy());
            assertTrue(refused.failure().matches(".+; " + reason), refused.failure());
        }
    }

    @Test
    void closedPortGivesTheJdksConnectionRefusedError() throws Exception {
        InetSocketAddress closedPort = closedLoopbackPort();
        try (Socks5Server server = Socks5Server.builder().listener(events).build().start()) {
            SocketException error = assertThrows(SocketException.class, () -> connectThrough(server.address(), closedPort));
            assertEquals("SOCKS: Connection refused", error.getMessage());
        }
        ConnectionEvent closed = events.nextClose();
        assertEquals(Outcome.REFUSED, closed.outcome());
        assertEquals(0x05, closed.replyCode());
        assertEquals(new Destination("127.0.0.1", closedPort.getPort()), closed.destination());
    }

    @Test
    void connectTimeoutGivesTheJdksTtlExpiredError() throws Exception {
        try (FullBacklog hanging = FullBacklog.open();
             Socks5Server server = Socks5Server.builder().connectTimeout(Duration.ofMillis(500))
                     .listener(events).build().start()) {
            SocketException error = assertThrows(SocketException.class, () -> connectThrough(server.address(), hanging.address()));
            assertEquals("SOCKS: TTL expired", error.getMessage());
        }
        ConnectionEvent closed = events.nextClose();
        assertEquals(Outcome.TIMEOUT, closed.outcome());
        assertEquals(0x06, closed.replyCode());
    }

    /** A loopback port nothing listens on: bound by us a moment ago, then closed. */
    static InetSocketAddress closedLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }
    }

    static Socket connectThrough(InetSocketAddress proxy, SocketAddress target) throws IOException {
        Socket socket = new Socket(new Proxy(Proxy.Type.SOCKS, proxy));
        try {
            socket.setSoTimeout(Limits.IO_MILLIS);
            socket.connect(target, Limits.IO_MILLIS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    static void assertEchoesThrough(InetSocketAddress proxy, SocketAddress target) throws IOException {
        try (Socket socket = connectThrough(proxy, target)) {
            byte[] message = "hello through the JDK's SOCKS client".getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(message);
            socket.shutdownOutput();
            assertEquals(new String(message, StandardCharsets.UTF_8),
                    new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
