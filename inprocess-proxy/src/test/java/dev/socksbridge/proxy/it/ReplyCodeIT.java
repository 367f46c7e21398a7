package dev.socksbridge.proxy.it;

import static dev.socksbridge.proxy.ConnectionPolicy.allowIf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.socksbridge.proxy.ConnectionDeniedException;
import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Dialer;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.LoopbackServer;
import dev.socksbridge.proxy.it.support.RawSocksClient;
import dev.socksbridge.proxy.it.support.RawSocksClient.Reply;
import dev.socksbridge.proxy.it.support.Socks5Bytes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Failure replies on the wire: a policy denial, and each exception type a {@link Dialer} can throw
 * mapped to its RFC 1928 code. The messages are chosen to mislead, so a server that matched on message
 * text instead of the type would pick the wrong code.
 */
@Timeout(120)
class ReplyCodeIT {

    private final EventRecorder events = new EventRecorder();

    @Test
    void policyDenialIsReplyTwoBeforeAnyResolutionOrDial() throws Exception {
        List<ConnectionRequest> asked = new CopyOnWriteArrayList<>();
        try (LoopbackServer echo = LoopbackServer.echo();
             Socks5Server server = Socks5Server.builder().listener(events)
                     .policy(allowIf(request -> {
                         asked.add(request);
                         return false;
                     })).build().start();
             RawSocksClient client = RawSocksClient.connect(server.address())) {
            client.send(Socks5Bytes.greeting(Socks5Bytes.NO_AUTH));
            client.expect(0x05, 0x00);
            client.send(Socks5Bytes.connectDomain("localhost", echo.port()));
            assertArrayEquals(Reply.failure(0x02), client.readReply().raw());
            client.assertClosedByServer();
            assertEquals(new Destination("localhost", echo.port()), asked.get(0).destination(),
                    "the policy sees the name as the client sent it, unresolved");
            assertEquals(0, echo.accepted());
        }
        ConnectionEvent closed = events.nextClose();
        assertEquals(Outcome.DENIED, closed.outcome());
        assertNull(closed.reached());
    }

    static Stream<Arguments> dialerFailures() {
        return Stream.of(
                failure(() -> new ConnectionDeniedException("connection refused"), 0x02, Outcome.DENIED),
                failure(() -> new UnknownHostException("connection refused"), 0x04, Outcome.HOST_UNREACHABLE),
                failure(() -> new NoRouteToHostException("connection refused"), 0x04, Outcome.HOST_UNREACHABLE),
                failure(() -> new ConnectException("host unreachable"), 0x05, Outcome.REFUSED),
                failure(() -> new SocketTimeoutException("connection refused"), 0x06, Outcome.TIMEOUT),
                failure(() -> new IOException("connection refused"), 0x01, Outcome.FAILED));
    }

    private static Arguments failure(Supplier<IOException> exception, int code, Outcome outcome) {
        return Arguments.of(exception.get().getClass().getSimpleName(), exception, code, outcome);
    }

    @ParameterizedTest(name = "{0} -> REP {2}")
    @MethodSource("dialerFailures")
    void dialerExceptionTypeChoosesTheReplyCode(String name, Supplier<IOException> exception, int code,
            Outcome outcome) throws Exception {
        Dialer failing = (request, timeout) -> {
            throw exception.get();
        };
        try (Socks5Server server = Socks5Server.builder().dialer(failing).listener(events).build().start();
             RawSocksClient client = RawSocksClient.connect(server.address())) {
            client.send(Socks5Bytes.greeting(Socks5Bytes.NO_AUTH));
            client.expect(0x05, 0x00);
            client.send(Socks5Bytes.connect(new InetSocketAddress("127.0.0.1", 9)));
            assertArrayEquals(Reply.failure(code), client.readReply().raw(), name);
            client.assertClosedByServer();
        }
        ConnectionEvent closed = events.nextClose();
        assertEquals(outcome, closed.outcome());
        assertEquals(code, closed.replyCode());
    }
}
