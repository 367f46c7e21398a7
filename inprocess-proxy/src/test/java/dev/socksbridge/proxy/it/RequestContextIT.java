package dev.socksbridge.proxy.it;

import static dev.socksbridge.proxy.ConnectionPolicy.allowIf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.Credentials;
import dev.socksbridge.proxy.Protocol;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.support.LoopbackServer;
import dev.socksbridge.proxy.it.support.Limits;
import dev.socksbridge.proxy.it.support.RawSocksClient;
import dev.socksbridge.proxy.it.support.Socks5Bytes;
import dev.socksbridge.proxy.it.support.UdpEcho;
import dev.socksbridge.proxy.spi.Extensions;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the policy sees: one request context per session (client, protocol, command, destination, user,
 * whether it authenticated, the tagger's tag), the same for every datagram of a UDP association.
 */
@Timeout(120)
class RequestContextIT {

    private static final byte[] LOCALHOST = {127, 0, 0, 1};

    private final List<ConnectionRequest> asked = new CopyOnWriteArrayList<>();

    private Socks5Server server(Extensions extensions) throws IOException {
        return Socks5Server.builder().credentials(Credentials.of("alice", "s3cret"))
                .extensions(extensions.withTagger((id, client) -> "caller-of-" + client.getPort()))
                .policy(allowIf(request -> {
                    asked.add(request);
                    return request.authenticated();
                })).build().start();
    }

    @Test
    void theRightPasswordReachesThePolicyAsAuthenticatedWithTheTaggersTag() throws Exception {
        try (LoopbackServer echo = LoopbackServer.echo();
                Socks5Server server = server(Extensions.NONE);
                RawSocksClient client = login(server, "alice", "s3cret")) {
            client.send(Socks5Bytes.connect(echo.address()));
            client.readReply().assertSucceeded();
            client.assertEchoes("in context");
            ConnectionRequest request = asked.get(0);
            assertEquals(Protocol.SOCKS5, request.protocol());
            assertEquals(Command.CONNECT, request.command());
            assertEquals(echo.port(), request.destination().port());
            assertEquals(client.socket().getLocalPort(), request.client().getPort());
            assertEquals("alice", request.user());
            assertTrue(request.authenticated());
            assertEquals("caller-of-" + client.socket().getLocalPort(), request.tag());
            assertFalse(request.toString().contains("s3cret"), request.toString());
        }
    }

    @Test
    void withPasswordlessLoginsAnEmptyPasswordIsAdmittedUnauthenticatedAndAWrongOneStillRefused() throws Exception {
        try (LoopbackServer echo = LoopbackServer.echo();
                Socks5Server server = server(Extensions.NONE.withPasswordlessLogins(true))) {
            try (RawSocksClient client = login(server, "someone", "")) {
                client.send(Socks5Bytes.connect(echo.address()));
                assertEquals(0x02, client.readReply().code(), "the policy refuses what did not authenticate");
            }
            assertEquals("someone", asked.get(0).user());
            assertFalse(asked.get(0).authenticated());
            try (RawSocksClient client = RawSocksClient.connect(server.address())) {
                client.send(Socks5Bytes.greeting(Socks5Bytes.USERNAME_PASSWORD));
                client.expect(0x05, 0x02);
                client.send(Socks5Bytes.usernamePassword("alice", "guess"));
                byte[] status = client.read(2);
                assertNotEquals(0x00, status[1], "a wrong password is refused");
                client.assertClosedByServer();
            }
            assertEquals(1, asked.size(), "the refused login never reached the policy");
        }
    }

    @Test
    void withoutPasswordlessLoginsAnEmptyPasswordIsRefused() throws Exception {
        try (Socks5Server server = server(Extensions.NONE);
                RawSocksClient client = RawSocksClient.connect(server.address())) {
            client.send(Socks5Bytes.greeting(Socks5Bytes.USERNAME_PASSWORD));
            client.expect(0x05, 0x02);
            client.send(Socks5Bytes.usernamePassword("alice", ""));
            assertNotEquals(0x00, client.read(2)[1]);
            client.assertClosedByServer();
        }
    }

    @Test
    void eachDatagramOfAnAuthenticatedAssociationIsCheckedWithTheSessionsContext() throws Exception {
        try (UdpEcho echo = UdpEcho.start();
                Socks5Server server = server(Extensions.NONE);
                DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                RawSocksClient control = login(server, "alice", "s3cret")) {
            udp.setSoTimeout(Limits.IO_MILLIS);
            control.send(Socks5Bytes.request(Socks5Bytes.UDP_ASSOCIATE, Socks5Bytes.ATYP_IPV4, LOCALHOST,
                    udp.getLocalPort()));
            RawSocksClient.Reply reply = control.readReply();
            reply.assertSucceeded();
            byte[] header = {0, 0, 0, Socks5Bytes.ATYP_IPV4, 127, 0, 0, 1, (byte) (echo.port() >>> 8),
                (byte) echo.port()};
            byte[] datagram = Socks5Bytes.concat(header, "ping".getBytes(StandardCharsets.US_ASCII));
            udp.send(new DatagramPacket(datagram, datagram.length, reply.bound()));
            DatagramPacket answer = new DatagramPacket(new byte[2048], 2048);
            udp.receive(answer);
            assertArrayEquals("ping".getBytes(StandardCharsets.US_ASCII),
                    Arrays.copyOfRange(answer.getData(), header.length, answer.getLength()));
            ConnectionRequest perDatagram = asked.get(0);
            assertEquals(Command.UDP_ASSOCIATE, perDatagram.command());
            assertEquals(echo.port(), perDatagram.destination().port(), "the datagram's own destination");
            assertTrue(perDatagram.authenticated(), "asked on the relay's thread, from the session's context");
            assertEquals("caller-of-" + control.socket().getLocalPort(), perDatagram.tag());
        }
    }

    @Test
    void withoutCredentialsThereIsNoUserAndNoTagWithoutATagger() throws Exception {
        try (LoopbackServer echo = LoopbackServer.echo();
                Socks5Server server = Socks5Server.builder().policy(allowIf(asked::add)).build().start();
                RawSocksClient client = RawSocksClient.relayTo(server.address(), echo.address())) {
            client.assertEchoes("anonymous");
            assertNull(asked.get(0).user());
            assertFalse(asked.get(0).authenticated());
            assertNull(asked.get(0).tag());
        }
    }

    /** Greets offering username/password and logs in; the server must accept the login. */
    private static RawSocksClient login(Socks5Server server, String user, String password) throws IOException {
        RawSocksClient client = RawSocksClient.connect(server.address());
        client.send(Socks5Bytes.greeting(Socks5Bytes.USERNAME_PASSWORD));
        client.expect(0x05, 0x02);
        client.send(Socks5Bytes.usernamePassword(user, password));
        client.expect(0x01, 0x00);
        return client;
    }
}
