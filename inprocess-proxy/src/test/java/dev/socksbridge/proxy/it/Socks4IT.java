package dev.socksbridge.proxy.it;

import static dev.socksbridge.proxy.ConnectionPolicy.allowIf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.Credentials;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Protocol;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.child.Socks4Client;
import dev.socksbridge.proxy.it.support.Curl;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.ExternalProcess;
import dev.socksbridge.proxy.it.support.LocalHttpServer;
import dev.socksbridge.proxy.it.support.LoopbackServer;
import dev.socksbridge.proxy.it.support.RawSocksClient;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SOCKS4 and SOCKS4a on the server's one port, with the JDK's own SOCKS4 client and with curl. */
@Timeout(120)
class Socks4IT {

    private final EventRecorder events = new EventRecorder();

    @Test
    void theJdkClientWithSocksProxyVersion4RelaysAndItsUserNameIsReported() throws Exception {
        try (LoopbackServer echo = LoopbackServer.echo();
                Socks5Server server = Socks5Server.builder().listener(events).build().start()) {
            ExternalProcess.Result result = ExternalProcess.runJava(Socks4Client.class,
                    List.of("-DsocksProxyVersion=4", "-Duser.name=alice4"),
                    String.valueOf(server.address().getPort()), String.valueOf(echo.port()));
            assertEquals("echo=hello socks4", result.stdout().strip(), result::describe);
            ConnectionEvent closed = events.nextClose();
            assertEquals(Protocol.SOCKS4, closed.protocol());
            assertEquals(Command.CONNECT, closed.command());
            assertEquals(new Destination("127.0.0.1", echo.port()), closed.destination());
            assertEquals(Outcome.OK, closed.outcome());
            assertEquals(0x5A, closed.replyCode());
            assertEquals("alice4", closed.user(), "SOCKS4 USERID (the JDK sends user.name)");
            assertEquals(12, closed.bytesUp());
        }
    }

    @Test
    void theJdkClientSeesARejectionWhenThePolicyDenies() throws Exception {
        try (LoopbackServer echo = LoopbackServer.echo();
                Socks5Server server = Socks5Server.builder().listener(events).policy(allowIf(request -> false)).build()
                        .start()) {
            ExternalProcess.Result result = ExternalProcess.runJava(Socks4Client.class,
                    List.of("-DsocksProxyVersion=4"),
                    String.valueOf(server.address().getPort()), String.valueOf(echo.port()));
            assertEquals("error=java.net.SocketException: SOCKS request rejected", result.stdout().strip(),
                    result::describe);
            ConnectionEvent closed = events.nextClose();
            assertEquals(Outcome.DENIED, closed.outcome());
            assertEquals(0x5B, closed.replyCode());
            assertEquals(0, echo.accepted());
        }
    }

    @Test
    void curlSocks4ToAnIpAndSocks4aToAHostName() throws Exception {
        try (LocalHttpServer http = LocalHttpServer.start(InetAddress.getLoopbackAddress());
                Socks5Server server = Socks5Server.builder().listener(events).build().start()) {
            String proxy = "127.0.0.1:" + server.address().getPort();
            Curl.Result socks4 = Curl.run("--socks4", proxy, "--proxy-user", "carol:", http.uri("127.0.0.1").toString());
            assertEquals(0, socks4.exitCode(), socks4::describe);
            assertEquals(http.body(), socks4.stdout());
            ConnectionEvent first = events.nextClose();
            assertEquals(Protocol.SOCKS4, first.protocol());
            assertEquals("carol", first.user());

            Curl.Result socks4a = Curl.run("--socks4a", proxy, http.uri("localhost").toString());
            assertEquals(0, socks4a.exitCode(), socks4a::describe);
            assertEquals(http.body(), socks4a.stdout());
            ConnectionEvent second = events.nextClose();
            assertEquals(Protocol.SOCKS4A, second.protocol());
            assertEquals(new Destination("localhost", http.port()), second.destination(), "the name, resolved by the proxy");
            assertEquals(Outcome.OK, second.outcome());
        }
    }

    @Test
    void curlSocks4aToAnUnknownHostIsRejected() throws Exception {
        try (Socks5Server server = Socks5Server.builder().listener(events).build().start()) {
            Curl.Result result = Curl.run("--socks4a", "127.0.0.1:" + server.address().getPort(),
                    "http://no-such-host.invalid/");
            assertTrue(result.exitCode() != 0, result::describe);
            ConnectionEvent closed = events.nextClose();
            assertEquals(Outcome.HOST_UNREACHABLE, closed.outcome());
            assertEquals(0x5B, closed.replyCode());
            assertEquals(Protocol.SOCKS4A, closed.protocol());
        }
    }

    @Test
    void socks4IsRejectedWhenTheServerRequiresAPassword() throws Exception {
        try (Socks5Server server = Socks5Server.builder().credentials(Credentials.of("u", "p")).listener(events)
                .build().start();
                RawSocksClient client = RawSocksClient.connect(server.address())) {
            //           VN    CD    DSTPORT     DSTIP                   USERID "u" NULL
            client.send(new byte[] {4, 1, 0, 80, 127, 0, 0, 1, 'u', 0});
            client.expect(0x00, 0x5B, 0, 0, 0, 0, 0, 0);
            client.assertClosedByServer();
            ConnectionEvent closed = events.nextClose();
            assertEquals(Outcome.AUTH_FAILED, closed.outcome());
            assertEquals(0x5B, closed.replyCode());
            assertNull(closed.command(), "refused before a request was accepted");
        }
    }
}
