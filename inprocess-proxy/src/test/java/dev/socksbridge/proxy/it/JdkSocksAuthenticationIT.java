package dev.socksbridge.proxy.it;

import static dev.socksbridge.proxy.it.JdkSocksClientIT.assertEchoesThrough;
import static dev.socksbridge.proxy.it.JdkSocksClientIT.connectThrough;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.Credentials;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.LoopbackServer;
import java.io.IOException;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RFC 1929 with the JDK's client, which asks {@code Authenticator.requestPasswordAuthentication} with
 * protocol "SOCKS5" on every connect (SocksSocketImpl keeps no cache of its own; the JVM-wide default
 * Authenticator is the only state, so each test installs its own and the previous one is restored).
 */
@Timeout(120)
class JdkSocksAuthenticationIT {

    private final EventRecorder events = new EventRecorder();
    private Authenticator previous;
    private LoopbackServer echo;
    private Socks5Server server;

    @BeforeEach
    void start() throws IOException {
        previous = Authenticator.getDefault();
        echo = LoopbackServer.echo();
        server = Socks5Server.builder().credentials(Credentials.of("alice", "s3cret")).listener(events).build().start();
    }

    @AfterEach
    void stop() throws IOException {
        Authenticator.setDefault(previous);
        server.close();
        echo.close();
    }

    @Test
    void authenticatorSuppliesTheUsernameAndPassword() throws Exception {
        SocksAuthenticator authenticator = install("alice", "s3cret");
        assertEchoesThrough(server.address(), echo.address());
        assertEquals(List.of("SOCKS5 " + server.address().getPort()), authenticator.prompts);
        assertEquals(Outcome.OK, events.nextClose().outcome());
    }

    @Test
    void wrongPasswordFailsWithTheJdksAuthenticationError() throws Exception {
        install("alice", "wrong");
        SocketException error = assertThrows(SocketException.class, () -> connectThrough(server.address(), echo.address()));
        assertEquals("SOCKS : authentication failed", error.getMessage());
        ConnectionEvent closed = events.nextClose();
        assertEquals(Outcome.AUTH_FAILED, closed.outcome());
        assertEquals(0, echo.accepted(), "no connection was made for an unauthenticated client");
    }

    @Test
    void eachConnectAsksTheAuthenticatorAgain() throws Exception {
        install("alice", "s3cret");
        assertEchoesThrough(server.address(), echo.address());
        install("alice", "wrong");
        assertThrows(SocketException.class, () -> connectThrough(server.address(), echo.address()));
    }

    private static SocksAuthenticator install(String user, String password) {
        SocksAuthenticator authenticator = new SocksAuthenticator(user, password);
        Authenticator.setDefault(authenticator);
        return authenticator;
    }

    /** Answers SOCKS5 prompts only, and records each one as "PROTOCOL PORT". */
    private static final class SocksAuthenticator extends Authenticator {
        final List<String> prompts = new CopyOnWriteArrayList<>();
        private final String user;
        private final String password;

        SocksAuthenticator(String user, String password) {
            this.user = user;
            this.password = password;
        }

        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
            prompts.add(getRequestingProtocol() + " " + getRequestingPort());
            if (!"SOCKS5".equals(getRequestingProtocol())) {
                return null;
            }
            return new PasswordAuthentication(user, password.toCharArray());
        }
    }
}
