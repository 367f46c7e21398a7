package dev.socksbridge.proxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.ConnectionListener;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Protocol;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.HashedStreams;
import dev.socksbridge.proxy.it.support.HashedStreams.Digest;
import dev.socksbridge.proxy.it.support.Limits;
import dev.socksbridge.proxy.it.support.LoopbackServer;
import dev.socksbridge.proxy.it.support.RawSocksClient;
import dev.socksbridge.proxy.it.support.Socks5Bytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the relay does with the bytes: all of them, both ways, in order, through half-closes. */
@Timeout(120)
class RelayIT {

    private static final long SIXTY_FOUR_MIB = 64L * 1024 * 1024;

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
    void sixtyFourMebibytesEachWayArriveIntact() throws Exception {
        CompletableFuture<Digest> targetSent = new CompletableFuture<>();
        CompletableFuture<Digest> targetReceived = new CompletableFuture<>();
        try (LoopbackServer target = LoopbackServer.start(InetAddress.getLoopbackAddress(), "stream", socket -> {
                    HashedStreams.sendThenHalfClose(socket, 2, SIXTY_FOUR_MIB).whenComplete(complete(targetSent));
                    targetReceived.complete(HashedStreams.readToEof(socket.getInputStream()));
                    targetSent.get(Limits.IO.toMillis(), TimeUnit.MILLISECONDS);
                });
             RawSocksClient client = RawSocksClient.relayTo(server.address(), target.address())) {
            CompletableFuture<Digest> clientSent = HashedStreams.sendThenHalfClose(client.socket(), 1, SIXTY_FOUR_MIB);
            Digest clientReceived = HashedStreams.readToEof(client.socket().getInputStream());

            assertEquals(await(clientSent), await(targetReceived), "client -> target: length and SHA-256");
            assertEquals(await(targetSent), clientReceived, "target -> client: length and SHA-256");
            assertEquals(SIXTY_FOUR_MIB, clientReceived.length());
            assertEquals(List.of(), target.failures(), "the target's side of the streams");
        }
        ConnectionEvent closed = events.nextClose();
        assertEquals(SIXTY_FOUR_MIB, closed.bytesUp());
        assertEquals(SIXTY_FOUR_MIB, closed.bytesDown());
    }

    @Test
    void clientHalfCloseStillDeliversTheTargetsReplyThenEof() throws Exception {
        byte[] reply = "the target answers after it saw EOF".getBytes(StandardCharsets.UTF_8);
        try (LoopbackServer target = LoopbackServer.start(InetAddress.getLoopbackAddress(), "drain",
                LoopbackServer.Targets.drainThenReply(reply));
             RawSocksClient client = RawSocksClient.relayTo(server.address(), target.address())) {
            client.send("request, then no more bytes from the client");
            client.shutdownOutput();
            assertArrayEquals(reply, client.readToEof(), "reply, then EOF");
            assertEquals(List.of(), target.failures(), "the target read to EOF and replied");
        }
    }

    @Test
    void greetingRequestAndPayloadPipelinedInOneWriteAreAllRelayed() throws Exception {
        try (LoopbackServer echo = LoopbackServer.echo();
             RawSocksClient client = RawSocksClient.connect(server.address())) {
            byte[] payload = "payload sent before any reply was read".getBytes(StandardCharsets.UTF_8);
            client.send(Socks5Bytes.concat(Socks5Bytes.greeting(Socks5Bytes.NO_AUTH),
                    Socks5Bytes.connect(echo.address()), payload));
            client.expect(0x05, 0x00);
            client.readReply().assertSucceeded();
            assertArrayEquals(payload, client.read(payload.length), "the pipelined payload, echoed");
        }
    }

    @Test
    void pipelinedPayloadLargerThanAnyFirstReadIsRelayedWhole() throws Exception {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        Digest sent = HashedStreams.writeRandom(payload, 3, 512 * 1024);
        try (LoopbackServer echo = LoopbackServer.echo();
             RawSocksClient client = RawSocksClient.connect(server.address())) {
            // Greeting, request and 512 KiB in one write: the server's first reads hold payload too.
            CompletableFuture<Void> writing = client.sendThenHalfCloseInBackground(Socks5Bytes.concat(
                    Socks5Bytes.greeting(Socks5Bytes.NO_AUTH), Socks5Bytes.connect(echo.address()), payload.toByteArray()));
            client.expect(0x05, 0x00);
            client.readReply().assertSucceeded();
            assertEquals(sent, HashedStreams.readToEof(client.socket().getInputStream()), "echoed payload");
            writing.get(Limits.IO.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void listenerThatThrowsDoesNotBreakTheSession() throws Exception {
        ConnectionListener failing = new ConnectionListener() {
            @Override
            public void onOpen(ConnectionEvent event) {
                throw new IllegalStateException("listener bug in onOpen");
            }

            @Override
            public void onClose(ConnectionEvent event) {
                throw new IllegalStateException("listener bug in onClose");
            }
        };
        EventRecorder after = new EventRecorder();
        try (LoopbackServer echo = LoopbackServer.echo();
             Socks5Server throwing = Socks5Server.builder().listener(failing).listener(after).build().start()) {
            try (RawSocksClient client = RawSocksClient.relayTo(throwing.address(), echo.address())) {
                client.assertEchoes("a listener's exception is not the session's problem");
            }
            assertEquals(Outcome.OK, after.nextClose().outcome(), "the next listener still gets the close");
        }
    }

    @Test
    void requestWrittenOneBytePerSegmentIsUnderstood() throws Exception {
        // Listening where the proxy will resolve "localhost" (this JVM resolves it the same way).
        try (LoopbackServer echo = LoopbackServer.start(InetAddress.getByName("localhost"), "echo",
                LoopbackServer.Targets::echo);
             RawSocksClient client = RawSocksClient.connect(server.address())) {
            client.sendOneBytePerSegment(Socks5Bytes.greeting(Socks5Bytes.NO_AUTH));
            client.expect(0x05, 0x00);
            client.sendOneBytePerSegment(Socks5Bytes.connectDomain("localhost", echo.port()));
            client.readReply().assertSucceeded();
            client.assertEchoes("one byte at a time");
        }
    }

    @Test
    void successReplyCarriesTheOutboundSocketsLocalAddress() throws Exception {
        CompletableFuture<SocketAddress> proxySideOfTarget = new CompletableFuture<>();
        try (LoopbackServer target = LoopbackServer.start(InetAddress.getLoopbackAddress(), "peer", socket -> {
                    proxySideOfTarget.complete(socket.getRemoteSocketAddress());
                    LoopbackServer.Targets.echo(socket);
                });
             RawSocksClient client = RawSocksClient.connect(server.address())) {
            client.send(Socks5Bytes.greeting(Socks5Bytes.NO_AUTH));
            client.expect(0x05, 0x00);
            client.send(Socks5Bytes.connect(target.address()));
            RawSocksClient.Reply reply = client.readReply();
            reply.assertSucceeded();
            assertEquals(Socks5Bytes.ATYP_IPV4, reply.atyp());
            assertEquals(proxySideOfTarget.get(Limits.IO.toMillis(), TimeUnit.MILLISECONDS), reply.bound(),
                    "BND.ADDR:BND.PORT = the local address of the proxy's outbound socket");
        }
    }

    @Test
    void ipv6DestinationIsRelayedAndTheReplyNamesAnIpv6BoundAddress() throws Exception {
        try (LoopbackServer echo = LoopbackServer.start(InetAddress.getByName("::1"), "echo6", LoopbackServer.Targets::echo);
             RawSocksClient client = RawSocksClient.connect(server.address())) {
            client.send(Socks5Bytes.greeting(Socks5Bytes.NO_AUTH));
            client.expect(0x05, 0x00);
            client.send(Socks5Bytes.connect(echo.address()));
            RawSocksClient.Reply reply = client.readReply();
            reply.assertSucceeded();
            assertEquals(Socks5Bytes.ATYP_IPV6, reply.atyp(), "BND.ADDR of a socket connected to ::1");
            client.assertEchoes("over IPv6");
        }
        assertEquals("::1", events.nextClose().destination().host(), "IPv6 destination in RFC 5952 form");
    }

    @Test
    void listenerGetsAnOpenThenACloseWithExactByteCounts() throws Exception {
        byte[] reply = new byte[37];
        byte[] request = new byte[1000];
        try (LoopbackServer target = LoopbackServer.start(InetAddress.getLoopbackAddress(), "drain",
                LoopbackServer.Targets.drainThenReply(reply));
             RawSocksClient client = RawSocksClient.relayTo(server.address(), target.address())) {
            client.send(request);
            client.shutdownOutput();
            assertEquals(reply.length, client.readToEof().length);

            ConnectionEvent open = events.nextOpen();
            assertEquals(Outcome.OPEN, open.outcome());
            assertEquals(Protocol.SOCKS5, open.protocol());
            assertEquals(Command.CONNECT, open.command());
            assertEquals(new Destination("127.0.0.1", target.port()), open.destination());
            assertEquals(client.socket().getLocalPort(), open.client().getPort(), "client port identifies the client");
            assertNull(open.duration());

            ConnectionEvent closed = events.nextClose();
            assertEquals(open.id(), closed.id());
            assertEquals(Outcome.OK, closed.outcome());
            assertEquals(0x00, closed.replyCode());
            assertEquals(target.address(), closed.reached());
            assertEquals(request.length, closed.bytesUp());
            assertEquals(reply.length, closed.bytesDown());
            assertEquals(open.start(), closed.start());
            assertNotNull(closed.connectTime());
            assertNotNull(closed.duration());
            assertNull(closed.failure());
        }
    }

    /** Completes {@code future} the way the stage it is attached to completed. */
    private static <T> BiConsumer<T, Throwable> complete(CompletableFuture<T> future) {
        return (value, failure) -> {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(value);
            }
        };
    }

    private static Digest await(CompletableFuture<Digest> future) throws Exception {
        return future.get(Limits.IO.toMillis(), TimeUnit.MILLISECONDS);
    }
}
