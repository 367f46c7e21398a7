package dev.socksbridge.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.socksbridge.proxy.Credentials;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.LoopbackServer;
import dev.socksbridge.proxy.it.support.RawSocksClient;
import dev.socksbridge.proxy.it.support.Socks5Bytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RFC 1929 sub-negotiation byte by byte: VER 1 | ULEN | UNAME | PLEN | PASSWD -> VER 1 | STATUS. */
@Timeout(120)
class UsernamePasswordIT {

    private final EventRecorder events = new EventRecorder();
    private LoopbackServer echo;
    private Socks5Server server;

    @BeforeEach
    void start() throws IOException {
        echo = LoopbackServer.echo();
        server = Socks5Server.builder().credentials(Credentials.of("alice", "s3cret")).listener(events).build().start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        echo.close();
    }

    @Test
    void rightCredentialsGetStatusZeroAndARelay() throws Exception {
        try (RawSocksClient client = RawSocksClient.connect(server.address())) {
            client.send(Socks5Bytes.greeting(Socks5Bytes.NO_AUTH, Socks5Bytes.USERNAME_PASSWORD));
            client.expect(0x05, 0x02);
            client.send(Socks5Bytes.usernamePassword("alice", "s3cret"));
            client.expect(0x01, 0x00);
            client.send(Socks5Bytes.connect(echo.address()));
            client.readReply().assertSucceeded();
            client.assertEchoes("authenticated");
        }
    }

    @Test
    void greetingLoginRequestAndPayloadPipelinedInOneWriteAreAllUsed() throws Exception {
        try (RawSocksClient client = RawSocksClient.connect(server.address())) {
            client.send(Socks5Bytes.concat(Socks5Bytes.greeting(Socks5Bytes.USERNAME_PASSWORD),
                    Socks5Bytes.usernamePassword("alice", "s3cret"), Socks5Bytes.connect(echo.address()),
                    "early payload".getBytes(StandardCharsets.UTF_8)));
            client.expect(0x05, 0x02, 0x01, 0x00);
            client.readReply().assertSucceeded();
            assertEquals("early payload", new String(client.read("early payload".length()), StandardCharsets.UTF_8));
        }
    }

    @Test
    void wrongPasswordGetsANonZeroStatusThenClose() throws Exception {
        assertRejected("alice", "S3CRET");
    }

    @Test
    void unknownUserGetsANonZeroStatusThenClose() throws Exception {
        assertRejected("mallory", "s3cret");
    }

    @Test
    void clientOfferingNoAuthOnlyGetsNoAcceptableMethodsThenClose() throws Exception {
        try (RawSocksClient client = RawSocksClient.connect(server.address())) {
            client.send(Socks5Bytes.greeting(Socks5Bytes.NO_AUTH));
            client.expect(0x05, 0xFF);
            client.assertClosedByServer();
        }
        assertEquals(0, echo.accepted());
    }

    private void assertRejected(String user, String password) throws Exception {
        try (RawSocksClient client = RawSocksClient.connect(server.address())) {
            client.send(Socks5Bytes.greeting(Socks5Bytes.USERNAME_PASSWORD));
            client.expect(0x05, 0x02);
            client.send(Socks5Bytes.usernamePassword(user, password));
            byte[] status = client.read(2);
            assertEquals(0x01, status[0], "sub-negotiation VER");
            assertNotEquals(0x00, status[1], "STATUS must be non-zero for bad credentials");
            client.assertClosedByServer();
            assertEquals(Outcome.AUTH_FAILED, events.closeOf(client.socket().getLocalPort()).outcome());
        }
        assertEquals(0, echo.accepted(), "nothing was dialled");
    }
}
