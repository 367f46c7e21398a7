package dev.socksbridge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The handshake deadline and the idle timeout end sessions and say why. */
@Timeout(60)
class Socks5ServerTimeoutIT {

    private final BlockingQueue<ConnectionEvent> closed = new LinkedBlockingQueue<>();
    private final ConnectionListener recorder = new ConnectionListener() {
        @Override
        public void onClose(ConnectionEvent event) {
            closed.add(event);
        }
    };

    @Test
    void silentClientIsClosedAtTheHandshakeDeadline() throws Exception {
        try (Socks5Server server = Socks5Server.builder().listener(recorder)
                .handshakeTimeout(Duration.ofMillis(200)).build().start();
             Socket silent = new Socket(server.address().getAddress(), server.address().getPort())) {
            silent.setSoTimeout(30_000);
            assertEquals(-1, readOrEof(silent.getInputStream()), "the server closes a silent client");
            ConnectionEvent event = closed.poll(30, TimeUnit.SECONDS);
            assertNotNull(event, "no close event");
            assertEquals(Outcome.TIMEOUT, event.outcome());
            assertNull(event.command());
            assertNull(event.replyCode(), "no reply was sent");
            assertEquals("handshake timeout (200ms)", event.failure());
        }
    }

    @Test
    void idleRelayIsClosedAfterTheIdleTimeout() throws Exception {
        try (ServerSocket target = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             Socks5Server server = Socks5Server.builder().listener(recorder)
                     .idleTimeout(Duration.ofMillis(300)).build().start();
             Socket client = new Socket(new Proxy(Proxy.Type.SOCKS, server.address()))) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target.getLocalPort()), 10_000);
            try (Socket accepted = target.accept()) {
                client.getOutputStream().write(7); // activity first: the timer counts from the last byte
                assertEquals(7, accepted.getInputStream().read());
                accepted.setSoTimeout(30_000);
                assertEquals(-1, readOrEof(accepted.getInputStream()), "the target sees the idle relay end");
            }
            ConnectionEvent event = closed.poll(30, TimeUnit.SECONDS);
            assertNotNull(event, "no close event");
            assertEquals(Outcome.OK, event.outcome(), "the session itself succeeded");
            assertEquals(1, event.bytesUp());
            assertEquals("idle timeout (300ms)", event.failure());
            assertTrue(event.duration().toMillis() >= 300, event.duration().toString());
        }
    }

    private static int readOrEof(InputStream in) {
        try {
            return in.read();
        } catch (IOException reset) {
            return -1;
        }
    }
}
