package dev.socksbridge.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.support.Await;
import dev.socksbridge.proxy.it.support.EchoTarget;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.Limits;
import dev.socksbridge.proxy.it.support.LoopbackServer;
import dev.socksbridge.proxy.it.support.RawSocksClient;
import dev.socksbridge.proxy.it.support.Socks5Bytes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Timeouts and the session limit, none of them asserted by timing: only "it happened" within a bound. */
@Timeout(120)
class SessionLimitsIT {

    private final EventRecorder events = new EventRecorder();
    @RegisterExtension
    final EchoTarget echo = new EchoTarget();

    @Test
    void silentClientsDoNotDelayANormalClient() throws Exception {
        // A handshake timeout far beyond the client's read timeout: if the silent clients blocked the
        // normal one, it would time out reading long before the server gave up on them.
        Duration handshakeTimeout = Limits.IO.multipliedBy(4);
        List<RawSocksClient> silent = new ArrayList<>();
        try (Socks5Server server = Socks5Server.builder().handshakeTimeout(handshakeTimeout).build().start()) {
            for (int i = 0; i < 48; i++) {
                silent.add(RawSocksClient.connect(server.address()));
            }
            try (RawSocksClient normal = RawSocksClient.relayTo(server.address(), echo.address())) {
                normal.assertEchoes("not stuck behind 48 silent clients");
            }
        } finally {
            closeAll(silent);
        }
    }

    @Test
    void handshakeTimeoutClosesASilentClient() throws Exception {
        try (Socks5Server server = Socks5Server.builder().handshakeTimeout(Duration.ofMillis(200))
                .listener(events).build().start();
             RawSocksClient silent = RawSocksClient.connect(server.address())) {
            silent.assertClosedByServer();
            ConnectionEvent closed = events.closeOf(silent.socket().getLocalPort());
            assertNull(closed.destination(), "no request was ever read");
            assertEquals(Outcome.TIMEOUT, closed.outcome());
        }
    }

    @Test
    void handshakeTimeoutClosesAClientThatStopsMidGreeting() throws Exception {
        try (Socks5Server server = Socks5Server.builder().handshakeTimeout(Duration.ofMillis(200)).build().start();
             RawSocksClient stalled = RawSocksClient.connect(server.address())) {
            stalled.send(new byte[] {0x05, 0x02});
            stalled.assertClosedByServer();
        }
    }

    @Test
    void idleTimeoutClosesARelayThatMovesNoBytes() throws Exception {
        // The echo right after the reply takes milliseconds; 3 s leaves room for a loaded machine.
        try (Socks5Server server = Socks5Server.builder().idleTimeout(Duration.ofSeconds(3))
                .listener(events).build().start();
             RawSocksClient client = RawSocksClient.relayTo(server.address(), echo.address())) {
            client.assertEchoes("one exchange, then silence");
            client.assertClosedByServer();
            ConnectionEvent closed = events.closeOf(client.socket().getLocalPort());
            assertEquals("one exchange, then silence".length(), closed.bytesUp());
        }
    }

    @Test
    void clientResetMidRelayEndsTheSession() throws Exception {
        try (Socks5Server server = Socks5Server.builder().listener(events).build().start()) {
            RawSocksClient client = RawSocksClient.relayTo(server.address(), echo.address());
            client.assertEchoes("then a reset");
            client.socket().setSoLinger(true, 0); // close() now sends RST instead of FIN
            client.close();
            ConnectionEvent closed = events.closeOf(client.socket().getLocalPort());
            assertEquals("then a reset".length(), closed.bytesUp());
            Await.until("the session is gone", Limits.IO, () -> server.activeSessions() == 0,
                    () -> "activeSessions=" + server.activeSessions());
        }
    }

    @Test
    void idleTimeoutSparesARelayWhereOnlyOneDirectionMoves() throws Exception {
        // Long enough that a stalled test JVM (GC, a busy CI core) does not stop the flow for a whole period.
        Duration idle = Duration.ofSeconds(1);
        try (LoopbackServer talker = LoopbackServer.start(InetAddress.getLoopbackAddress(), "talker",
                     SessionLimitsIT::streamUntilTheClientSpeaks);
             Socks5Server server = Socks5Server.builder().idleTimeout(idle).listener(events).build().start();
             RawSocksClient client = RawSocksClient.relayTo(server.address(), talker.address())) {
            // The client only reads, for three idle periods (a loop bounded by time and by count).
            long until = System.nanoTime() + idle.multipliedBy(3).toNanos();
            byte[] chunk = new byte[4096];
            for (int reads = 0; reads < 10_000_000 && System.nanoTime() < until; reads++) {
                assertTrue(client.socket().getInputStream().read(chunk) > 0, "closed while bytes were flowing down");
            }
            client.send(new byte[] {'.'}); // the talker stops, and the session ends normally
            client.shutdownOutput();
            client.readToEof();
            ConnectionEvent closed = events.closeOf(client.socket().getLocalPort());
            assertEquals(Outcome.OK, closed.outcome());
            assertNull(closed.failure(), "no idle timeout");
        }
    }

    /** Writes 4 KiB chunks until the client sends a byte, then half-closes. */
    private static void streamUntilTheClientSpeaks(Socket socket) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread listener = new Thread(() -> {
            try {
                socket.getInputStream().read();
            } catch (IOException e) {
                // the client is gone: stop writing either way
            }
            stop.set(true);
        }, "test-target-talker-listener");
        listener.start();
        byte[] chunk = new byte[4096];
        // Bounded by time, not only by bytes: a fast relay moved a 4 GiB cap in under the test's 3 s.
        long deadline = System.nanoTime() + Limits.IO.toNanos();
        for (int chunks = 0; chunks < 100_000_000 && !stop.get() && System.nanoTime() < deadline; chunks++) {
            socket.getOutputStream().write(chunk);
        }
        socket.shutdownOutput();
        listener.join(Limits.IO.toMillis());
    }

    @Test
    void sessionsBeyondMaxSessionsAreRefusedUntilOneEnds() throws Exception {
        try (Socks5Server server = Socks5Server.builder().maxSessions(2).build().start()) {
            RawSocksClient first = RawSocksClient.relayTo(server.address(), echo.address());
            try (RawSocksClient second = RawSocksClient.relayTo(server.address(), echo.address())) {
                first.assertEchoes("first");
                second.assertEchoes("second");
                try (RawSocksClient third = RawSocksClient.connect(server.address())) {
                    third.send(Socks5Bytes.greeting(Socks5Bytes.NO_AUTH));
                    third.assertClosedByServer();
                }
                first.close();
                Await.until("a session slot is free", Limits.IO, () -> server.activeSessions() < 2,
                        () -> "activeSessions=" + server.activeSessions());
                try (RawSocksClient fourth = RawSocksClient.relayTo(server.address(), echo.address())) {
                    fourth.assertEchoes("admitted once a slot was free");
                }
            } finally {
                first.close();
            }
        }
    }

    private static void closeAll(List<RawSocksClient> clients) throws IOException {
        for (RawSocksClient client : clients) {
            client.close();
        }
    }
}
