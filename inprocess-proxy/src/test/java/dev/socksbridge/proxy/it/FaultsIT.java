package dev.socksbridge.proxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.Fault;
import dev.socksbridge.proxy.it.support.Await;
import dev.socksbridge.proxy.it.support.EchoTarget;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.LoopbackServer;
import dev.socksbridge.proxy.it.support.ServerThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each fault as the JDK's own SOCKS client sees it over real loopback sockets. Timing is always compared
 * with the same exchange without the fault in the same test, with generous margins (a delay of 400 ms must
 * add at least 250 ms), never against an absolute speed.
 */
@Timeout(120)
class FaultsIT {

    private static final long DELAY_MS = 400;
    private static final long MARGIN_MS = 250;

    @RegisterExtension
    final EchoTarget echo = new EchoTarget();
    private final EventRecorder events = new EventRecorder();
    private Socks5Server server;

    @BeforeEach
    void startServer() throws IOException {
        server = Socks5Server.builder().listener(events).build().start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void latencyAddedMidConnectionSlowsTheNextRoundTripAndStopsWhenRemoved() throws Exception {
        try (Socket socket = throughProxy(echo.address())) {
            long before = roundTripMillis(socket, "one");
            Fault latency = server.faults().add("127.0.0.1:" + echo.port() + "->latency latency=" + DELAY_MS + " direction=up");
            long faulted = roundTripMillis(socket, "two");
            assertTrue(faulted - before >= MARGIN_MS, "with latency " + faulted + "ms, before " + before + "ms");
            server.faults().remove(latency);
            long healed = roundTripMillis(socket, "three");
            assertTrue(faulted - healed >= MARGIN_MS, "after removal " + healed + "ms, with latency " + faulted + "ms");
            socket.shutdownOutput();
        }
        assertEquals(List.of("latency"), events.nextClose().faults());
    }

    @Test
    void aFaultForAnotherDestinationOrWithToxicityZeroLeavesTheConnectionAlone() throws Exception {
        server.faults().add("127.0.0.1:" + (echo.port() == 1 ? 2 : 1) + "->refuse");
        server.faults().add("*->latency latency=" + DELAY_MS + " toxicity=0");
        try (Socket socket = throughProxy(echo.address())) {
            assertTrue(roundTripMillis(socket, "hello") < DELAY_MS, "no fault may apply");
            socket.shutdownOutput();
        }
        assertEquals(List.of(), events.nextClose().faults());
    }

    @Test
    void refuseAnswersExactlyAsARefusedTargetDoes() throws Exception {
        int closedPort;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = unused.getLocalPort();
        }
        SocketException real = assertThrows(SocketException.class,
                () -> throughProxy(new InetSocketAddress("127.0.0.1", closedPort)).close());
        ConnectionEvent realEvent = events.nextClose();
        server.faults().add("127.0.0.1:" + echo.port() + "->refuse");
        SocketException faulted = assertThrows(SocketException.class, () -> throughProxy(echo.address()).close());
        ConnectionEvent faultedEvent = events.nextClose();
        assertEquals(real.getMessage(), faulted.getMessage());
        assertEquals(realEvent.replyCode(), faultedEvent.replyCode());
        assertEquals(Outcome.REFUSED, faultedEvent.outcome());
        assertEquals(0x05, faultedEvent.replyCode());
        assertEquals(List.of("refuse"), faultedEvent.faults());
        assertEquals(0, echo.accepted(), "a refused connect must not reach the target");
    }

    @Test
    void connectDelayDelaysTheAppsConnect() throws Exception {
        connectMillis(); // the first connect through a new server pays for class loading
        long before = connectMillis();
        server.faults().add("127.0.0.1:" + echo.port() + "->connect_delay delay=" + DELAY_MS);
        long faulted = connectMillis();
        assertTrue(faulted - before >= MARGIN_MS, "connect with delay " + faulted + "ms, before " + before + "ms");
        events.nextClose();
        events.nextClose();
        assertEquals(List.of("connect_delay"), events.nextClose().faults());
    }

    @Test
    void timeoutZeroHoldsTheDataUntilRemovedThenTheConnectionWorksAgain() throws Exception {
        try (Socket socket = throughProxy(echo.address())) {
            Fault hold = server.faults().add("127.0.0.1->timeout timeout=0 direction=down");
            socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout((int) DELAY_MS);
            assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read(),
                    "the echo must be held while the fault is in force");
            server.faults().remove(hold);
            socket.setSoTimeout(30_000);
            // The held chunk is dropped (as Toxiproxy does); what comes after it flows again.
            assertEquals("pong", roundTrip(socket, "pong"));
            socket.shutdownOutput();
        }
        assertEquals(List.of("timeout"), events.nextClose().faults());
    }

    @Test
    void timeoutClosesTheConnectionAfterItsDelay() throws Exception {
        server.faults().add("127.0.0.1->timeout timeout=" + DELAY_MS);
        try (Socket socket = throughProxy(echo.address())) {
            socket.setSoTimeout(30_000);
            long start = System.nanoTime();
            socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, socket.getInputStream().read(), "no data, then the end of stream");
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsed >= MARGIN_MS, "closed after " + elapsed + "ms");
        }
        ConnectionEvent closed = events.nextClose();
        assertEquals(List.of("timeout"), closed.faults());
        assertEquals(0, closed.bytesDown());
    }

    @Test
    void resetPeerIsAConnectionResetForTheApp() throws Exception {
        server.faults().add("127.0.0.1->reset_peer timeout=0 direction=up");
        try (Socket socket = throughProxy(echo.address())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            SocketException reset = assertThrows(SocketException.class, () -> socket.getInputStream().read());
            assertEquals("Connection reset", reset.getMessage());
        }
        assertEquals(List.of("reset_peer"), events.nextClose().faults());
    }

    @Test
    void limitDataClosesAfterTheGivenBytes() throws Exception {
        server.faults().add("127.0.0.1->limit_data bytes=10 direction=down");
        try (Socket socket = throughProxy(echo.address())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(new byte[100]);
            assertEquals(10, readToEnd(socket.getInputStream()).length);
        }
        ConnectionEvent closed = events.nextClose();
        assertEquals(List.of("limit_data"), closed.faults());
        assertEquals(10, closed.bytesDown());
    }

    @Test
    void slowCloseDelaysTheEndOfStream() throws Exception {
        byte[] bye = "bye".getBytes(StandardCharsets.US_ASCII);
        try (LoopbackServer target = LoopbackServer.start(InetAddress.getLoopbackAddress(), "bye",
                socket -> socket.getOutputStream().write(bye))) {
            long before = millisToEndOfStream(target, bye);
            server.faults().add("127.0.0.1:" + target.port() + "->slow_close delay=" + DELAY_MS + " direction=down");
            long faulted = millisToEndOfStream(target, bye);
            assertTrue(faulted - before >= MARGIN_MS, "end of stream after " + faulted + "ms, before " + before + "ms");
        }
        events.nextClose();
        assertEquals(List.of("slow_close"), events.nextClose().faults());
    }

    @Test
    void slicerDeliversEveryByteInDelayedSlices() throws Exception {
        byte[] payload = new byte[1000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        try (LoopbackServer target = LoopbackServer.start(InetAddress.getLoopbackAddress(), "payload",
                socket -> socket.getOutputStream().write(payload))) {
            long before = millisToEndOfStream(target, payload);
            // 10 slices of 100 bytes, 40 ms apart: at least 9 gaps = 360 ms more
            server.faults().add("127.0.0.1:" + target.port() + "->slicer average_size=100 delay=40000 direction=down");
            long faulted = millisToEndOfStream(target, payload);
            assertTrue(faulted - before >= MARGIN_MS, "sliced in " + faulted + "ms, before " + before + "ms");
        }
        events.nextClose();
        assertEquals(List.of("slicer"), events.nextClose().faults());
    }

    @Test
    void bandwidthCapsTheRate() throws Exception {
        byte[] payload = new byte[256 * 1024];
        try (LoopbackServer target = LoopbackServer.start(InetAddress.getLoopbackAddress(), "bulk",
                socket -> socket.getOutputStream().write(payload))) {
            long before = millisToEndOfStream(target, payload);
            server.faults().add("127.0.0.1:" + target.port() + "->bandwidth rate=256 direction=down");
            long faulted = millisToEndOfStream(target, payload); // 256 KiB at 256 KiB/s: about 1 s
            assertTrue(faulted - before >= 700, "256 KiB at 256 KiB/s in " + faulted + "ms, before " + before + "ms");
        }
        events.nextClose();
        assertEquals(List.of("bandwidth"), events.nextClose().faults());
    }

    @Test
    void aThousandFaultedConnectionsLeaveNoSessionOrThread() throws Exception {
        int platformThreadsBefore = Thread.activeCount();
        server.faults().add("127.0.0.1->latency latency=1 direction=up");
        server.faults().add("127.0.0.1->slicer average_size=2 direction=down");
        server.faults().add("127.0.0.1->slow_close delay=1");
        for (int i = 0; i < 1000; i++) {
            try (Socket socket = throughProxy(echo.address())) {
                assertEquals("ping", roundTrip(socket, "ping"));
                socket.shutdownOutput();
                assertEquals(-1, socket.getInputStream().read());
            }
        }
        Await.until("all 1000 sessions closed", Duration.ofSeconds(30), () -> events.closeCount() == 1000,
                () -> "closed: " + events.closeCount());
        Await.until("no session open", Duration.ofSeconds(10), () -> server.activeSessions() == 0);
        Await.until("no relay thread busy", Duration.ofSeconds(10),
                () -> ServerThreads.busy("socksbridge-relay-").isEmpty(),
                () -> ServerThreads.busy("socksbridge-relay-").toString());
        assertTrue(Thread.activeCount() <= platformThreadsBefore + 4,
                "platform threads before " + platformThreadsBefore + ", after " + Thread.activeCount());
        for (int i = 0; i < 1000; i++) {
            assertEquals(List.of("latency", "slow_close", "slicer"), events.nextClose().faults());
        }
    }

    private Socket throughProxy(InetSocketAddress target) throws IOException {
        Socket socket = new Socket(new Proxy(Proxy.Type.SOCKS, server.address()));
        try {
            socket.connect(target, 30_000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private long connectMillis() throws IOException {
        long start = System.nanoTime();
        try (Socket socket = throughProxy(echo.address())) {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
    }

    private long millisToEndOfStream(LoopbackServer target, byte[] expected) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = throughProxy(target.address())) {
            socket.setSoTimeout(30_000);
            assertArrayEquals(expected, readToEnd(socket.getInputStream()));
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
    }

    private static long roundTripMillis(Socket socket, String text) throws IOException {
        long start = System.nanoTime();
        assertEquals(text, roundTrip(socket, text));
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        byte[] answer = socket.getInputStream().readNBytes(bytes.length);
        return new String(answer, StandardCharsets.US_ASCII);
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            all.write(buffer, 0, n);
            if (all.size() > 10_000_000) {
                fail("more than 10 MB: the stream never ended");
            }
        }
        return all.toByteArray();
    }
}
