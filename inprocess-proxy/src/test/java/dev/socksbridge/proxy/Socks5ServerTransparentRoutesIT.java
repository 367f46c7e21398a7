package dev.socksbridge.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.socksbridge.proxy.protocol.ReplyCode;
import dev.socksbridge.proxy.spi.Extensions;
import dev.socksbridge.proxy.spi.TransparentRoutes;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Extensions.transparentRoutes}: a client whose port was registered beforehand sends no handshake;
 * the server relays it to the registered destination and tells the route how the upstream connect went.
 * Other clients still speak SOCKS5.
 */
@Timeout(60)
class Socks5ServerTransparentRoutesIT {

    /** Routes by client port, each answered through a future. */
    private static final class Registered implements TransparentRoutes {
        final Map<Integer, Route> byPort = new ConcurrentHashMap<>();

        CompletableFuture<String> register(int clientPort, InetSocketAddress destination) {
            CompletableFuture<String> result = new CompletableFuture<>();
            byPort.put(clientPort, new Route() {
                @Override
                public InetSocketAddress destination() {
                    return destination;
                }

                @Override
                public void connected(InetSocketAddress reached) {
                    result.complete("connected");
                }

                @Override
                public void failed(ReplyCode code) {
                    result.complete("failed " + code);
                }
            });
            return result;
        }

        @Override
        public Route route(InetSocketAddress client) {
            return byPort.remove(client.getPort());
        }
    }

    @Test
    void aRegisteredClientIsRelayedWithoutAHandshakeAndItsRouteHearsTheResult() throws Exception {
        Registered routes = new Registered();
        CompletableFuture<ConnectionEvent> closed = new CompletableFuture<>();
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socks5Server server = Socks5Server.builder().extensions(Extensions.NONE.withTransparentRoutes(routes))
                     .listener(new ConnectionListener() {
                         @Override
                         public void onClose(ConnectionEvent event) {
                             closed.complete(event);
                         }
                     }).build().start();
             Socket client = new Socket()) {
            Thread echoThread = new Thread(() -> echoOne(echo), "transparent-echo");
            echoThread.start();
            client.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<String> result = routes.register(client.getLocalPort(),
                    new InetSocketAddress("127.0.0.1", echo.getLocalPort()));
            client.connect(server.address(), 10_000);
            assertEquals("connected", result.get(30, TimeUnit.SECONDS));
            byte[] payload = "no handshake, just bytes".getBytes(StandardCharsets.US_ASCII);
            client.getOutputStream().write(payload);
            client.shutdownOutput();
            client.setSoTimeout(30_000);
            assertArrayEquals(payload, client.getInputStream().readAllBytes());
            echoThread.join(10_000);
            ConnectionEvent event = closed.get(30, TimeUnit.SECONDS);
            assertEquals(Protocol.TRANSPARENT, event.protocol());
            assertEquals(Outcome.OK, event.outcome());
            assertEquals(payload.length, event.bytesUp());
            assertEquals(payload.length, event.bytesDown());
        }
    }

    @Test
    void aRefusedDestinationIsReportedToTheRouteAndTheClientIsClosed() throws Exception {
        Registered routes = new Registered();
        int closedPort;
        try (ServerSocket nothing = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = nothing.getLocalPort();
        }
        try (Socks5Server server = Socks5Server.builder().extensions(Extensions.NONE.withTransparentRoutes(routes)).build().start();
             Socket client = new Socket()) {
            client.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<String> result = routes.register(client.getLocalPort(),
                    new InetSocketAddress("127.0.0.1", closedPort));
            client.connect(server.address(), 10_000);
            assertEquals("failed " + ReplyCode.CONNECTION_REFUSED, result.get(30, TimeUnit.SECONDS));
            client.setSoTimeout(30_000);
            assertEquals(-1, client.getInputStream().read(), "closed without a byte: no SOCKS reply");
        }
    }

    @Test
    void unregisteredClientsStillSpeakSocks5() throws Exception {
        Registered routes = new Registered();
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socks5Server server = Socks5Server.builder().extensions(Extensions.NONE.withTransparentRoutes(routes)).build().start();
             Socket client = new Socket(new java.net.Proxy(java.net.Proxy.Type.SOCKS, server.address()))) {
            Thread echoThread = new Thread(() -> echoOne(echo), "socks-echo");
            echoThread.start();
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()), 10_000);
            client.getOutputStream().write(new byte[10]);
            client.shutdownOutput();
            assertEquals(10, client.getInputStream().readAllBytes().length);
            echoThread.join(10_000);
        }
    }

    private static void echoOne(ServerSocket echo) {
        try (Socket s = echo.accept(); InputStream in = s.getInputStream()) {
            in.transferTo(s.getOutputStream());
            s.shutdownOutput();
        } catch (IOException e) {
            // the test fails on its own assertion if the echo did not happen
        }
    }
}
