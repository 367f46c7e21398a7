package dev.socksbridge.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.Dialer;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.support.Await;
import dev.socksbridge.proxy.it.support.EchoTarget;
import dev.socksbridge.proxy.it.support.Limits;
import dev.socksbridge.proxy.it.support.RawSocksClient;
import dev.socksbridge.proxy.it.support.ServerThreads;
import dev.socksbridge.proxy.it.support.Socks5Bytes;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** close() ends every session wherever it is (handshake, dial, relay) and leaves no thread behind. */
@Timeout(120)
class ServerCloseIT {

    @RegisterExtension
    final EchoTarget echo = new EchoTarget();

    @Test
    void closeEndsSessionsInTheirHandshakeAndInTheirRelay() throws Exception {
        Socks5Server server = Socks5Server.builder().build().start();
        try (RawSocksClient silent = RawSocksClient.connect(server.address());
             RawSocksClient midGreeting = RawSocksClient.connect(server.address());
             RawSocksClient relaying = RawSocksClient.relayTo(server.address(), echo.address())) {
            midGreeting.send(new byte[] {0x05, 0x02});
            relaying.assertEchoes("before close()");
            Await.until("all three sessions are admitted", Limits.IO, () -> server.activeSessions() == 3,
                    () -> "activeSessions=" + server.activeSessions());
            server.close();
            assertEquals(0, server.activeSessions(), "sessions left after close()");
            silent.assertClosedByServer();
            midGreeting.assertClosedByServer();
            relaying.assertClosedByServer();
        } finally {
            server.close();
        }
    }

    @Test
    void closeInterruptsASessionStuckInItsDialer() throws Exception {
        CountDownLatch dialing = new CountDownLatch(1);
        Dialer stuck = (request, timeoutMillis) -> {
            dialing.countDown();
            try {
                new CountDownLatch(1).await(); // a dialer that never finishes on its own
            } catch (InterruptedException e) {
                throw new InterruptedIOException("dial interrupted");
            }
            throw new IOException("unreachable");
        };
        Socks5Server server = Socks5Server.builder().dialer(stuck).build().start();
        try (RawSocksClient client = RawSocksClient.connect(server.address())) {
            client.send(Socks5Bytes.concat(Socks5Bytes.greeting(Socks5Bytes.NO_AUTH),
                    Socks5Bytes.connect(new InetSocketAddress("127.0.0.1", 9))));
            assertTrue(dialing.await(Limits.IO.toMillis(), TimeUnit.MILLISECONDS), "the dialer was called");
            server.close();
            assertEquals(List.of(), ServerThreads.alive(ManySessionsIT.SERVER_THREAD_PREFIX),
                    "server threads alive after close()");
            client.readToEof(); // whatever the server managed to answer, the connection ends
        } finally {
            server.close();
        }
    }
}
