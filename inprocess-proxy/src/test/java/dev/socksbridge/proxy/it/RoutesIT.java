package dev.socksbridge.proxy.it;

import dev.socksbridge.proxy.route.RouteTable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.EventFormat;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.support.EchoTarget;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.Limits;
import dev.socksbridge.proxy.it.support.LoopbackServer;
import dev.socksbridge.proxy.it.support.UpstreamProxy;
import java.util.List;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Stand-ins, block and dead first hops, with no upstream binary needed (see UpstreamRoutesIT for those). */
@Timeout(120)
class RoutesIT {

    private static final String PAYMENTS = "api.payments.invalid";

    private final EventRecorder events = new EventRecorder();
    @RegisterExtension
    final EchoTarget echo = new EchoTarget();

    @Test
    void aStandInAnswersWhileTheAppStillSeesItsDestination() throws Exception {
        try (Socks5Server server = server(PAYMENTS + ":443 -> 127.0.0.1:" + echo.port())) {
            InetSocketAddress asked = InetSocketAddress.createUnresolved(PAYMENTS, 443);
            try (Socket socket = connect(server, asked)) {
                // What the JDK's SOCKS client shows for a name it did not resolve, route or no route: the
                // destination's port, never the stand-in's.
                assertEquals(443, socket.getPort());
                assertEquals("pay", echo(socket, "pay"));
            }
        }
        ConnectionEvent closed = events.nextClose();
        assertEquals(Outcome.OK, closed.outcome());
        assertEquals(PAYMENTS + ":443", closed.destination().toString());
        assertEquals(echo.address(), closed.reached());
        assertEquals("127.0.0.1:" + echo.port(), closed.via());
        assertTrue(EventFormat.line(closed).contains(" via=\"127.0.0.1:" + echo.port() + "\""), EventFormat.line(closed));
    }

    @Test
    void blockRefusesAsARulesetDenial() throws Exception {
        try (Socks5Server server = server("*.invalid -> block")) {
            SocketException e = assertThrows(SocketException.class,
                    () -> connect(server, InetSocketAddress.createUnresolved(PAYMENTS, 443)));
            assertTrue(e.getMessage().contains("not allowed by ruleset"), e.toString());
            ConnectionEvent closed = events.nextClose(); // before close(): the reply goes out before the record
            assertEquals(Outcome.DENIED, closed.outcome());
            assertEquals("block", closed.via());
        }
    }

    @Test
    void aDeadFirstHopIsRefusedNamingIt() throws Exception {
        int dead = UpstreamProxy.freePort();
        try (Socks5Server server = server("* -> socks5://127.0.0.1:" + dead)) {
            SocketException e = assertThrows(SocketException.class, () -> connect(server, echo.address()));
            assertTrue(e.getMessage().contains("Connection refused"), e.toString());
            ConnectionEvent closed = events.nextClose(); // before close(): the reply goes out before the record
            assertEquals(Outcome.REFUSED, closed.outcome());
            assertTrue(closed.failure().startsWith("ConnectException: hop 1 of 1 (socks5://127.0.0.1:" + dead
                    + ") unreachable"), closed.failure());
            assertEquals(0, echo.accepted());
        }
    }

    /** The upstream (another server of this library) sees the name: it was sent as ATYP 0x03, not resolved. */
    @Test
    void aHostNameTravelsUnresolvedToTheUpstream() throws Exception {
        EventRecorder upstreamEvents = new EventRecorder();
        try (Socks5Server upstream = Socks5Server.builder().router(RouteTable.parse("route", List.of(PAYMENTS + " -> 127.0.0.1:" + echo.port())))
                     .listener(upstreamEvents).build().start();
             Socks5Server server = server("*.invalid -> socks5://127.0.0.1:" + upstream.address().getPort());
             Socket socket = connect(server, InetSocketAddress.createUnresolved(PAYMENTS, 443))) {
            assertEquals("x", echo(socket, "x"));
        }
        assertEquals(PAYMENTS + ":443", upstreamEvents.nextClose().destination().toString());
        assertEquals("socks5://127.0.0.1:", events.nextClose().via().replaceAll("\\d+$", ""));
    }

    /**
     * An HTTP upstream that answers CONNECT and, in the same write, the target's greeting (a server that speaks
     * first, as SMTP or MySQL do): the greeting must reach the app, not be eaten with the response head.
     */
    @Test
    void bytesRightAfterTheConnectResponseReachTheApp() throws Exception {
        byte[] answer = "HTTP/1.1 200 Connection established\r\nVia: test\r\n\r\n220 ready\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (LoopbackServer upstream = LoopbackServer.start(java.net.InetAddress.getLoopbackAddress(), "http-upstream",
                     socket -> {
                         socket.getInputStream().readNBytes(4); // "CONNECT ..." has started: answer at once
                         socket.getOutputStream().write(answer);
                         socket.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                     });
             Socks5Server server = server("* -> http://127.0.0.1:" + upstream.port());
             Socket socket = connect(server, InetSocketAddress.createUnresolved("smtp.invalid", 25))) {
            assertEquals("220 ready\r\n", new String(socket.getInputStream().readNBytes(11), StandardCharsets.US_ASCII));
        }
    }

    private Socks5Server server(String route) throws IOException {
        return Socks5Server.builder().router(RouteTable.parse("route", List.of(route))).listener(events).build().start();
    }

    private static Socket connect(Socks5Server server, InetSocketAddress target) throws IOException {
        Socket socket = new Socket(new Proxy(Proxy.Type.SOCKS, server.address()));
        try {
            socket.setSoTimeout(Limits.IO_MILLIS);
            socket.connect(target, Limits.IO_MILLIS);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static String echo(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        socket.getOutputStream().write(bytes);
        return new String(socket.getInputStream().readNBytes(bytes.length), StandardCharsets.US_ASCII);
    }
}
