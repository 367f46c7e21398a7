package dev.socksbridge.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JDK's own SOCKS client through the server to a local echo server, end to end. */
@Timeout(60)
class Socks5ServerSmokeIT {

    private ServerSocket echo;
    private Thread echoThread;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoThread = new Thread(this::echoOne, "smoke-echo");
        echoThread.start();
    }

    @AfterEach
    void stopEcho() throws Exception {
        echo.close();
        echoThread.join(10_000);
    }

    /** Echoes one connection until the client half-closes, then closes. */
    private void echoOne() {
        try (Socket s = echo.accept()) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the test fails on its own assertions if the echo did not happen
        }
    }

    @Test
    void jdkClientEchoesThroughTheServerAndTheCloseEventCountsTheBytes() throws Exception {
        BlockingQueue<ConnectionEvent> closed = new LinkedBlockingQueue<>();
        ConnectionListener listener = new ConnectionListener() {
            @Override
            public void onClose(ConnectionEvent event) {
                closed.add(event);
            }
        };
        byte[] message = "hello through socksbridge".getBytes(StandardCharsets.US_ASCII);
        try (Socks5Server server = Socks5Server.builder().listener(listener).build().start()) {
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort());
            try (Socket client = new Socket(new Proxy(Proxy.Type.SOCKS, server.address()))) {
                client.connect(target, 10_000);
                client.getOutputStream().write(message);
                client.shutdownOutput();
                byte[] back = new DataInputStream(client.getInputStream()).readNBytes(message.length);
                assertArrayEquals(message, back);
                assertEquals(-1, client.getInputStream().read(), "the echo's close reaches the client");
            }
            ConnectionEvent event = closed.poll(30, TimeUnit.SECONDS);
            assertNotNull(event, "no close event within 30 s");
            assertEquals(Outcome.OK, event.outcome());
            assertEquals(0, event.replyCode());
            assertEquals(Command.CONNECT, event.command());
            assertEquals(Protocol.SOCKS5, event.protocol());
            assertEquals(new Destination("127.0.0.1", echo.getLocalPort()), event.destination());
            assertEquals(target, event.reached());
            assertEquals(message.length, event.bytesUp());
            assertEquals(message.length, event.bytesDown());
            assertNotNull(event.duration());
            assertNull(event.failure());
        }
    }
}
