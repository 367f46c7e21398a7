package dev.socksbridge.proxy.it;

import dev.socksbridge.proxy.route.RouteTable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.EventFormat;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.support.EchoTarget;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.Limits;
import dev.socksbridge.proxy.it.support.UpstreamProxy;
import java.util.List;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Routes through upstream proxies this project did not write: dante (SOCKS5, without and with username
 * authentication) and tinyproxy (HTTP CONNECT with Basic authentication), alone and chained, started by the
 * test on loopback. Each proxy's own access log must show the connection. The app side is the JDK's SOCKS
 * client, so what it sees is what a plain {@code java.net.Socket} sees through the agent.
 */
@Timeout(120)
class UpstreamRoutesIT {

    private static final String HTTP_USER = "alice";
    private static final String HTTP_PASSWORD = "tiny-s3cret";

    private final EventRecorder events = new EventRecorder();
    @RegisterExtension
    final EchoTarget echo = new EchoTarget();

    @Test
    void socks5UpstreamWithoutAuthentication() throws Exception {
        try (UpstreamProxy dante = UpstreamProxy.dante(false);
             Socks5Server server = server("127.0.0.0/8:" + echo.port() + " -> socks5://127.0.0.1:" + dante.port())) {
            assertEchoes(server, "127.0.0.1");
            dante.awaitLogLine(l -> l.contains("tcp/connect [") && l.contains("127.0.0.1." + echo.port()));
        }
        ConnectionEvent closed = events.nextClose();
        assertEquals(Outcome.OK, closed.outcome());
        assertEquals("socks5://127.0.0.1:" + dante_port(closed), closed.via());
    }

    @Test
    void socks5UpstreamWithUsernameAuthenticationAndTheNameUnresolved() throws Exception {
        try (UpstreamProxy dante = UpstreamProxy.dante(true);
             Socks5Server server = server("localhost -> socks5://" + UpstreamProxy.DANTE_USER + ":"
                     + UpstreamProxy.DANTE_PASSWORD + "@127.0.0.1:" + dante.port())) {
            assertEchoes(server, "localhost");
            dante.awaitLogLine(l -> l.contains("username%" + UpstreamProxy.DANTE_USER + "@")
                    && l.contains("." + echo.port()));
        }
        ConnectionEvent closed = events.nextClose();
        assertEquals(Outcome.OK, closed.outcome());
        assertEquals("localhost", closed.destination().host());
        assertNoPassword(closed, UpstreamProxy.DANTE_PASSWORD);
    }

    @Test
    void aWrongSocks5PasswordFailsTheConnectionNamingTheHop() throws Exception {
        try (UpstreamProxy dante = UpstreamProxy.dante(true);
             Socks5Server server = server("* -> socks5://" + UpstreamProxy.DANTE_USER + ":wrong-pw@127.0.0.1:"
                     + dante.port())) {
            SocketException e = assertThrows(SocketException.class, () -> connect(server, "127.0.0.1"));
            assertTrue(e.getMessage().contains("SOCKS server general failure"), e.toString());
            ConnectionEvent closed = events.nextClose();
            assertEquals(Outcome.AUTH_FAILED, closed.outcome(), "the upstream refused the credentials");
            assertEquals(0x01, closed.replyCode());
            assertTrue(closed.failure().contains("hop 1 of 1 (socks5://" + UpstreamProxy.DANTE_USER + "@127.0.0.1:"
                    + dante.port() + ")") && closed.failure().contains("authentication failed"), closed.failure());
            assertNoPassword(closed, "wrong-pw");
        }
    }

    @Test
    void httpUpstreamWithBasicAuthentication() throws Exception {
        try (UpstreamProxy tiny = UpstreamProxy.tinyproxy(HTTP_USER, HTTP_PASSWORD);
             Socks5Server server = server("* -> http://" + HTTP_USER + ":" + HTTP_PASSWORD + "@127.0.0.1:" + tiny.port())) {
            assertEchoes(server, "127.0.0.1");
            tiny.awaitLogLine(l -> l.contains("CONNECT 127.0.0.1:" + echo.port()));
        }
        ConnectionEvent closed = events.nextClose();
        assertEquals(Outcome.OK, closed.outcome());
        assertTrue(closed.via().startsWith("http://" + HTTP_USER + "@127.0.0.1:"), closed.via());
        assertNoPassword(closed, HTTP_PASSWORD);
    }

    @Test
    void aWrongHttpPasswordFailsTheConnectionNamingTheHop() throws Exception {
        try (UpstreamProxy tiny = UpstreamProxy.tinyproxy(HTTP_USER, HTTP_PASSWORD);
             Socks5Server server = server("* -> http://" + HTTP_USER + ":nope@127.0.0.1:" + tiny.port())) {
            assertThrows(SocketException.class, () -> connect(server, "127.0.0.1"));
            ConnectionEvent closed = events.nextClose();
            assertEquals(Outcome.AUTH_FAILED, closed.outcome(), "the upstream refused the credentials");
            assertTrue(closed.failure().contains("hop 1 of 1 (http://alice@127.0.0.1:" + tiny.port() + ")")
                    && closed.failure().contains("authentication failed"), closed.failure());
            assertNoPassword(closed, "nope");
        }
    }

    @Test
    void aTwoHopChainGoesThroughBothInOrder() throws Exception {
        try (UpstreamProxy dante = UpstreamProxy.dante(false);
             UpstreamProxy tiny = UpstreamProxy.tinyproxy(HTTP_USER, HTTP_PASSWORD);
             Socks5Server server = server("* -> socks5://127.0.0.1:" + dante.port() + " http://" + HTTP_USER + ":"
                     + HTTP_PASSWORD + "@127.0.0.1:" + tiny.port())) {
            assertEchoes(server, "127.0.0.1");
            // dante reached tinyproxy (hop 2), and tinyproxy reached the destination.
            dante.awaitLogLine(l -> l.contains("tcp/connect [") && l.contains("127.0.0.1." + tiny.port()));
            tiny.awaitLogLine(l -> l.contains("CONNECT 127.0.0.1:" + echo.port()));
            ConnectionEvent closed = events.nextClose();
            assertEquals("socks5://127.0.0.1:" + dante.port() + " http://alice@127.0.0.1:" + tiny.port(), closed.via());
            assertEquals(new InetSocketAddress("127.0.0.1", dante.port()), closed.reached());
        }
    }

    @Test
    void aDeadHopFailsTheConnectionAsRefusedNamingThatHop() throws Exception {
        int dead = UpstreamProxy.freePort();
        try (UpstreamProxy dante = UpstreamProxy.dante(false);
             Socks5Server server = server("* -> socks5://127.0.0.1:" + dante.port() + " http://127.0.0.1:" + dead)) {
            SocketException e = assertThrows(SocketException.class, () -> connect(server, "127.0.0.1"));
            assertTrue(e.getMessage().contains("Connection refused"), e.toString());
            ConnectionEvent closed = events.nextClose();
            assertEquals(Outcome.REFUSED, closed.outcome());
            assertEquals(0x05, closed.replyCode());
            assertTrue(closed.failure().contains("could not reach hop 2 of 2 (http://127.0.0.1:" + dead + ")"),
                    closed.failure());
            // Strict: nothing was tried past the dead hop, and the destination was never reached.
            assertEquals(0, echo.accepted());
        }
    }

    private Socks5Server server(String route) throws IOException {
        return Socks5Server.builder().router(RouteTable.parse("route", List.of(route))).listener(events).build().start();
    }

    /** Connects through {@code server} to the echo target named {@code host}, unresolved (as the agent's sockets do). */
    private Socket connect(Socks5Server server, String host) throws IOException {
        Socket socket = new Socket(new Proxy(Proxy.Type.SOCKS, server.address()));
        try {
            socket.setSoTimeout(Limits.IO_MILLIS);
            socket.connect(InetSocketAddress.createUnresolved(host, echo.port()), Limits.IO_MILLIS);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void assertEchoes(Socks5Server server, String host) throws IOException {
        byte[] message = "through the upstream".getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = connect(server, host)) {
            socket.getOutputStream().write(message);
            // Read the echo back before closing: tinyproxy ends a tunnel on the first half-close.
            InputStream in = socket.getInputStream();
            assertEquals(new String(message, StandardCharsets.US_ASCII),
                    new String(in.readNBytes(message.length), StandardCharsets.US_ASCII));
        }
    }

    private static int dante_port(ConnectionEvent event) {
        return event.reached().getPort();
    }

    private static void assertNoPassword(ConnectionEvent event, String password) {
        String everything = EventFormat.line(event) + " " + event;
        assertFalse(everything.contains(password), everything);
    }
}
