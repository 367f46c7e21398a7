package dev.socksbridge.proxy.it;

import static dev.socksbridge.proxy.ConnectionPolicy.allowIf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.ConnectionDeniedException;
import dev.socksbridge.proxy.Dialer;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.spi.Extensions;
import dev.socksbridge.proxy.spi.SessionTagger;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The two hooks an in-process agent uses to give its app what a direct connect would: the tagger names the
 * dial's connect timeout for its session, and hears the dial's own exception before the client is answered.
 */
@Timeout(60)
class SessionTaggerDialIT {

    private static final int SERVER_TIMEOUT_MILLIS = 10_000;

    private final List<Object> failedTags = new CopyOnWriteArrayList<>();
    private final List<IOException> failures = new CopyOnWriteArrayList<>();
    private final List<Integer> dialTimeouts = new CopyOnWriteArrayList<>();

    /** Tags every session "app" (or nothing when {@code tag} is null) and asks for {@code timeout}. */
    private SessionTagger tagger(String tag, int timeout) {
        return new SessionTagger() {
            @Override
            public Object tag(long sessionId, InetSocketAddress client) {
                return tag;
            }

            @Override
            public int connectTimeoutMillis(Object sessionTag, int serverMillis) {
                assertEquals(SERVER_TIMEOUT_MILLIS, serverMillis);
                return timeout;
            }

            @Override
            public void dialFailed(Object sessionTag, IOException failure) {
                failedTags.add(sessionTag);
                failures.add(failure);
            }
        };
    }

    private Socks5Server server(SessionTagger tagger, boolean permit) throws IOException {
        Dialer direct = Dialer.direct();
        return Socks5Server.builder().connectTimeout(Duration.ofMillis(SERVER_TIMEOUT_MILLIS))
                .extensions(Extensions.NONE.withTagger(tagger))
                .policy(allowIf(request -> permit))
                .dialer((request, timeout) -> {
                    dialTimeouts.add(timeout);
                    return direct.dial(request, timeout);
                }).build().start();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return closed.getLocalPort(); // nothing listens there once closed
        }
    }

    private static SocketException connectThrough(Socks5Server server, int port) {
        return assertThrows(SocketException.class, () -> {
            try (Socket socket = new Socket(new Proxy(Proxy.Type.SOCKS, server.address()))) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            }
        });
    }

    @Test
    void aTaggedSessionDialsWithTheTaggersTimeoutAndItHearsTheDialsOwnExceptionBeforeTheReply() throws Exception {
        try (Socks5Server server = server(tagger("app", 1234), true)) {
            SocketException seen = connectThrough(server, closedPort());
            assertEquals("SOCKS: Connection refused", seen.getMessage(), "the JDK SOCKS client's wording");
            assertEquals(List.of(1234), dialTimeouts);
            assertEquals(List.of("app"), failedTags, "told before the client got its reply");
            IOException dial = failures.get(0);
            assertEquals(ConnectException.class, dial.getClass());
            assertEquals("Connection refused", dial.getMessage(), "what a direct connect throws");
        }
    }

    @Test
    void aDenialIsToldAsAConnectionDeniedException() throws Exception {
        try (Socks5Server server = server(tagger("app", 1234), false)) {
            connectThrough(server, closedPort());
            assertEquals(List.of(), dialTimeouts, "a denied session never dials");
            assertEquals(List.of("app"), failedTags);
            assertInstanceOf(ConnectionDeniedException.class, failures.get(0));
        }
    }

    @Test
    void anUntaggedSessionKeepsTheServersTimeoutAndIsNotTold() throws Exception {
        try (Socks5Server server = server(tagger(null, 1234), true)) {
            SocketException seen = connectThrough(server, closedPort());
            assertTrue(seen.getMessage().contains("refused"), seen.toString());
            assertEquals(List.of(SERVER_TIMEOUT_MILLIS), dialTimeouts);
            assertEquals(List.of(), failures);
        }
    }
}
