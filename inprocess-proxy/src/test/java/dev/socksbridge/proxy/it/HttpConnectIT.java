package dev.socksbridge.proxy.it;

import static dev.socksbridge.proxy.ConnectionPolicy.allowIf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.Credentials;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Protocol;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.child.HttpsThroughProxy;
import dev.socksbridge.proxy.it.support.Curl;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.ExternalProcess;
import dev.socksbridge.proxy.it.support.LocalHttpServer;
import dev.socksbridge.proxy.it.support.LocalHttpsServer;
import dev.socksbridge.proxy.it.support.LoopbackServer;
import dev.socksbridge.proxy.it.support.RawSocksClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP CONNECT on the server's one port: curl {@code --proxy http://... -p} and
 * {@code java.net.http.HttpClient} with {@code ProxySelector.of(...)}, success and the 407/403/502/504 paths.
 */
@Timeout(180)
class HttpConnectIT {

    private final EventRecorder events = new EventRecorder();

    @Test
    void curlTunnelsThroughConnect() throws Exception {
        try (LocalHttpServer http = LocalHttpServer.start(InetAddress.getLoopbackAddress());
                Socks5Server server = Socks5Server.builder().listener(events).build().start()) {
            Curl.Result result = Curl.run("-p", "--proxy", "http://127.0.0.1:" + server.address().getPort(),
                    http.uri("127.0.0.1").toString());
            assertEquals(0, result.exitCode(), result::describe);
            assertEquals(http.body(), result.stdout());
            ConnectionEvent closed = events.nextClose();
            assertEquals(Protocol.HTTP_CONNECT, closed.protocol());
            assertEquals(new Destination("127.0.0.1", http.port()), closed.destination());
            assertEquals(Outcome.OK, closed.outcome());
            assertEquals(200, closed.replyCode());
            assertTrue(closed.bytesDown() > http.body().length(), "the response came through the tunnel");
        }
    }

    @Test
    void curlGets407WithoutOrWithWrongCredentialsAnd200WithThem() throws Exception {
        try (LocalHttpServer http = LocalHttpServer.start(InetAddress.getLoopbackAddress());
                Socks5Server server = Socks5Server.builder().credentials(Credentials.of("alice", "s3cret"))
                        .listener(events).build().start()) {
            String proxy = "http://127.0.0.1:" + server.address().getPort();
            String target = http.uri("127.0.0.1").toString();
            Curl.Result none = Curl.run("-p", "--proxy", proxy, target);
            assertTrue(none.exitCode() != 0 && none.stderr().contains("407"), none::describe);
            ConnectionEvent missing = events.nextClose();
            assertEquals(Outcome.AUTH_FAILED, missing.outcome());
            assertEquals(407, missing.replyCode());

            Curl.Result wrong = Curl.run("-p", "--proxy", proxy, "--proxy-user", "alice:wrong", target);
            assertTrue(wrong.exitCode() != 0 && wrong.stderr().contains("407"), wrong::describe);
            ConnectionEvent refused = events.nextClose();
            assertEquals(Outcome.AUTH_FAILED, refused.outcome());
            assertTrue(!EventFormatLine.of(refused).contains("wrong"), "the password is never in the log line");

            Curl.Result right = Curl.run("-p", "--proxy", proxy, "--proxy-user", "alice:s3cret", target);
            assertEquals(0, right.exitCode(), right::describe);
            assertEquals(http.body(), right.stdout());
            ConnectionEvent ok = events.nextClose();
            assertEquals("alice", ok.user());
            assertEquals(Outcome.OK, ok.outcome());
        }
    }

    @Test
    void curlSees403ForAPolicyDenialAnd502ForARefusedTarget() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort(); // nothing listens here once closed
        }
        try (Socks5Server server = Socks5Server.builder().listener(events)
                .policy(allowIf(request -> request.destination().port() != 443)).build().start()) {
            String proxy = "http://127.0.0.1:" + server.address().getPort();
            Curl.Result denied = Curl.run("-p", "--proxy", proxy, "http://127.0.0.1:443/");
            assertTrue(denied.exitCode() != 0 && denied.stderr().contains("403"), denied::describe);
            ConnectionEvent deniedEvent = events.nextClose();
            assertEquals(Outcome.DENIED, deniedEvent.outcome());
            assertEquals(403, deniedEvent.replyCode());

            Curl.Result refused = Curl.run("-p", "--proxy", proxy, "http://127.0.0.1:" + closedPort + "/");
            assertTrue(refused.exitCode() != 0 && refused.stderr().contains("502"), refused::describe);
            ConnectionEvent refusedEvent = events.nextClose();
            assertEquals(Outcome.REFUSED, refusedEvent.outcome());
            assertEquals(502, refusedEvent.replyCode());
        }
    }

    @Test
    void aConnectTimeoutIs504() throws Exception {
        try (Socks5Server server = Socks5Server.builder().listener(events)
                .dialer((request, timeout) -> {
                    throw new SocketTimeoutException("connect timed out");
                }).build().start();
                RawSocksClient client = RawSocksClient.connect(server.address())) {
            client.send("CONNECT 127.0.0.1:9 HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\n");
            String response = new String(client.readToEof(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 504 Gateway Timeout\r\n"), response);
            assertEquals(Outcome.TIMEOUT, events.nextClose().outcome());
        }
    }

    @Test
    void bytesPipelinedAfterTheConnectHeadAreRelayed() throws Exception {
        try (LoopbackServer echo = LoopbackServer.echo();
                Socks5Server server = Socks5Server.builder().listener(events).build().start();
                RawSocksClient client = RawSocksClient.connect(server.address())) {
            client.send("CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\n\r\npipelined");
            String established = "HTTP/1.1 200 Connection established\r\n\r\n";
            assertEquals(established, new String(client.read(established.length()), StandardCharsets.ISO_8859_1));
            assertEquals("pipelined", new String(client.read(9), StandardCharsets.ISO_8859_1));
            client.assertEchoes(" and more");
        }
    }

    @Test
    void otherMethodsGet405AndGarbageGets400() throws Exception {
        try (Socks5Server server = Socks5Server.builder().listener(events).build().start()) {
            try (RawSocksClient client = RawSocksClient.connect(server.address())) {
                client.send("GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n");
                String response = new String(client.readToEof(), StandardCharsets.ISO_8859_1);
                assertTrue(response.startsWith("HTTP/1.1 405 Method Not Allowed\r\nAllow: CONNECT\r\n"), response);
                assertTrue(response.contains("does not forward plain-HTTP requests"), response);
            }
            assertEquals(405, events.nextClose().replyCode());
            try (RawSocksClient client = RawSocksClient.connect(server.address())) {
                client.send("CONNECT nonsense\r\n\r\n");
                String response = new String(client.readToEof(), StandardCharsets.ISO_8859_1);
                assertTrue(response.startsWith("HTTP/1.1 400 Bad Request\r\n"), response);
            }
            assertEquals(Outcome.PROTOCOL_ERROR, events.nextClose().outcome());
        }
    }

    @Test
    void aPlainHttpRequestLineIsAnswered405AndClosedWithoutWaitingForItsHeaders() throws Exception {
        // A handshake timeout longer than the client's read limit: only an answer at once passes.
        try (Socks5Server server = Socks5Server.builder().listener(events).handshakeTimeout(Duration.ofMinutes(10))
                .build().start();
                RawSocksClient client = RawSocksClient.connect(server.address())) {
            client.send("GET / HTTP/1.1\r\n"); // as typed into telnet: the header fields never come
            String response = new String(client.readToEof(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 405 Method Not Allowed\r\nAllow: CONNECT\r\n"), response);
            assertTrue(response.contains("\r\nConnection: close\r\n"), response);
            ConnectionEvent closed = events.nextClose();
            assertEquals(Outcome.PROTOCOL_ERROR, closed.outcome());
            assertEquals(405, closed.replyCode());
        }
    }

    @Test
    void jdkHttpClientTunnelsHttpsAndSees403() throws Exception {
        try (LocalHttpsServer https = LocalHttpsServer.start();
                Socks5Server server = Socks5Server.builder().listener(events).build().start()) {
            String result = HttpsThroughProxy.get(server.address().getPort(), https.uri(), LocalHttpsServer.keyStore(),
                    null, null);
            assertEquals("status=200 body=" + LocalHttpsServer.body().strip(), result);
            ConnectionEvent closed = events.nextClose();
            assertEquals(Protocol.HTTP_CONNECT, closed.protocol());
            assertEquals(new Destination("127.0.0.1", https.port()), closed.destination());
            assertEquals(200, closed.replyCode());
        }
        try (LocalHttpsServer https = LocalHttpsServer.start();
                Socks5Server server = Socks5Server.builder().listener(events).policy(allowIf(request -> false)).build()
                        .start()) {
            String failure = HttpClientOutcome.of(() -> HttpsThroughProxy.get(server.address().getPort(), https.uri(),
                    LocalHttpsServer.keyStore(), null, null));
            assertEquals("java.io.IOException: Tunnel failed, got: 403", failure);
            assertEquals(Outcome.DENIED, events.nextClose().outcome());
            assertEquals(0, https.requests());
        }
    }

    @Test
    void jdkHttpClientGets407WithoutAnAuthenticatorAndPassesWithOneOnceBasicIsAllowedForTunnels() throws Exception {
        try (LocalHttpsServer https = LocalHttpsServer.start();
                Socks5Server server = Socks5Server.builder().credentials(Credentials.of("alice", "s3cret"))
                        .listener(events).build().start()) {
            String port = String.valueOf(server.address().getPort());
            String store = LocalHttpsServer.keyStore().toString();
            String noAuthenticator = HttpClientOutcome.of(() -> HttpsThroughProxy.get(server.address().getPort(),
                    https.uri(), LocalHttpsServer.keyStore(), null, null));
            assertEquals("status=407 body=", noAuthenticator);
            assertEquals(Outcome.AUTH_FAILED, events.nextClose().outcome());

            // The JDK disables Basic for proxy tunnels by default (jdk.http.auth.tunneling.disabledSchemes=Basic),
            // read once per JVM: a child JVM clears it.
            ExternalProcess.Result basicAllowed = ExternalProcess.runJava(HttpsThroughProxy.class,
                    List.of("-Djdk.http.auth.tunneling.disabledSchemes="), port, https.uri().toString(), store,
                    "alice", "s3cret");
            assertEquals("status=200 body=" + LocalHttpsServer.body().strip(), basicAllowed.stdout().strip(),
                    basicAllowed::describe);
            ConnectionEvent ok = closeWithOutcome(Outcome.OK);
            assertEquals("alice", ok.user());
        }
    }

    /** The JDK client may first try without credentials (a 407 event), then with them. */
    private ConnectionEvent closeWithOutcome(Outcome wanted) throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            ConnectionEvent event = events.nextClose();
            if (event.outcome() == wanted) {
                return event;
            }
        }
        throw new AssertionError("no close event with outcome " + wanted + " among the next 5");
    }

    /** What HttpClient made of a failed tunnel, as text: its status or its exception. */
    private static final class HttpClientOutcome {
        interface Call {
            String run() throws Exception;
        }

        static String of(Call call) {
            try {
                return call.run();
            } catch (Exception e) {
                return e.toString();
            }
        }
    }

    private static final class EventFormatLine {
        static String of(ConnectionEvent event) {
            return dev.socksbridge.proxy.EventFormat.line(event);
        }
    }
}
