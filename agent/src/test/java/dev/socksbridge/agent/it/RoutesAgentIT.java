package dev.socksbridge.agent.it;

import static dev.socksbridge.agent.it.ProbeSupport.probeValue;
import static dev.socksbridge.agent.it.ProbeSupport.runOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.it.support.UpstreamProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routes under the agent, in child JVMs: every captured path ({@code java.net.Socket}, HttpURLConnection, an
 * NIO channel, HttpClient) through dante and tinyproxy (servers this project did not write, whose own logs
 * must show each connection), a chain through both, a stand-in, a wrong password and a dead hop.
 */
class RoutesAgentIT {

    private static final String NIO_PROBE = "dev.socksbridge.probe.NioProbeApp";
    private static final String HTTP_USER = "alice";
    private static final String HTTP_PASSWORD = "tiny-s3cret";

    @RegisterExtension
    static final LoopbackTargets TARGETS = new LoopbackTargets();

    @TempDir
    Path dir;

    private static int echoPort() {
        return TARGETS.echoPort();
    }

    private static int httpPort() {
        return TARGETS.httpPort();
    }

    private String options(Path events, String... routes) {
        StringBuilder options = new StringBuilder("include-loopback=true,events=" + events);
        for (String route : routes) {
            options.append(",route=").append(route);
        }
        return options.toString();
    }

    @Test
    void everyPathGoesThroughASocks5Upstream() throws Exception {
        try (UpstreamProxy dante = UpstreamProxy.dante(false)) {
            Path events = dir.resolve("events.jsonl");
            String options = options(events, "*->socks5://127.0.0.1:" + dante.port());
            ChildJvm socket = runOk(Fixtures.probe(Fixtures.currentJava(), options, List.of(), List.of(),
                    "socket:" + echoPort(), "http:" + httpPort()));
            assertEquals(String.valueOf(1000), probeValue(socket, "socket", "echoed"));
            assertEquals("200", probeValue(socket, "http", "status"));
            ChildJvm nio = runOk(Fixtures.command(Fixtures.currentJava(), NIO_PROBE, options, List.of(), List.of(),
                    "channel:127.0.0.1:" + echoPort(), "httpclient:127.0.0.1:" + httpPort(),
                    "selector:127.0.0.1:" + echoPort(), "async:127.0.0.1:" + echoPort()));
            assertEquals("1000", probeValue(nio, "channel", "echoed"));
            assertEquals("200", probeValue(nio, "httpclient", "status"));
            assertEquals("1000", probeValue(nio, "selector", "echoed"));
            assertEquals("1000", probeValue(nio, "async", "echoed"));
            ChildJvm netty = runOk(Fixtures.command(Fixtures.currentJava(), "dev.socksbridge.probe.NettyProbeApp", options,
                    NioAgentIT.nettyJars(), List.of(), "nio:127.0.0.1:" + echoPort()));
            assertEquals("1000", probeValue(netty, "nio", "echoed"));
            assertEquals("127.0.0.1:" + echoPort(), probeValue(netty, "nio", "remote"), "Netty's remoteAddress()");

            List<Map<String, Object>> all = Events.read(events);
            assertEquals(7, all.size(), all.toString());
            for (Map<String, Object> event : all) {
                assertEquals("ok", event.get("outcome"), event.toString());
                assertEquals("socks5://127.0.0.1:" + dante.port(), event.get("via"), event.toString());
            }
            dante.awaitLogLines(l -> l.contains("tcp/connect [") && l.contains("127.0.0.1." + echoPort()), 5);
            dante.awaitLogLines(l -> l.contains("tcp/connect [") && l.contains("127.0.0.1." + httpPort()), 2);
            assertTrue(String.join("\n", socket.stderrLines()).contains("via=\"socks5://127.0.0.1:" + dante.port() + "\""),
                    socket.output());
        }
    }

    @Test
    void httpClientOverHttp2AndTlsGoesThroughTheChain() throws Exception {
        try (UpstreamProxy dante = UpstreamProxy.dante(false);
                UpstreamProxy tiny = UpstreamProxy.tinyproxy(HTTP_USER, HTTP_PASSWORD);
                Http2TlsServer h2 = Http2TlsServer.start(dir)) {
            Path events = dir.resolve("events.jsonl");
            ChildJvm nio = runOk(Fixtures.command(Fixtures.currentJava(), NIO_PROBE, options(events,
                    "*->socks5://127.0.0.1:" + dante.port() + " http://" + HTTP_USER + ":" + HTTP_PASSWORD
                            + "@127.0.0.1:" + tiny.port()), List.of(),
                    List.of("-Djavax.net.ssl.trustStore=" + h2.trustStore(),
                            "-Djavax.net.ssl.trustStorePassword=" + Http2TlsServer.PASSWORD),
                    "http2:127.0.0.1:" + h2.port()));
            assertEquals("200", probeValue(nio, "http2", "status"), nio.output());
            assertEquals("HTTP_2", probeValue(nio, "http2", "version"), "ALPN chose h2 through both hops");
            tiny.awaitLogLines(l -> l.contains("CONNECT 127.0.0.1:" + h2.port()), 1);
            Map<String, Object> event = Events.only(Events.read(events), e -> true, "the h2 connection");
            assertEquals("ok", event.get("outcome"), event.toString());
        }
    }

    @Test
    void httpPathsGoThroughAnHttpUpstreamWithBasicAuthAndThePasswordStaysOutOfEveryReport() throws Exception {
        try (UpstreamProxy tiny = UpstreamProxy.tinyproxy(HTTP_USER, HTTP_PASSWORD)) {
            Path events = dir.resolve("events.jsonl");
            String options = options(events, "*->http://" + HTTP_USER + ":" + HTTP_PASSWORD + "@127.0.0.1:" + tiny.port());
            ChildJvm socket = runOk(Fixtures.probe(Fixtures.currentJava(), options, List.of(), List.of(),
                    "http:" + httpPort()));
            ChildJvm nio = runOk(Fixtures.command(Fixtures.currentJava(), NIO_PROBE, options, List.of(), List.of(),
                    "httpclient:127.0.0.1:" + httpPort()));
            assertEquals("200", probeValue(socket, "http", "status"));
            assertEquals("200", probeValue(nio, "httpclient", "status"));
            tiny.awaitLogLines(l -> l.contains("CONNECT 127.0.0.1:" + httpPort()), 2);
            String eventsText = Files.readString(events, StandardCharsets.UTF_8);
            assertTrue(eventsText.contains("\"via\":\"http://alice@127.0.0.1:" + tiny.port() + "\""), eventsText);
            for (String text : List.of(eventsText, socket.output(), nio.output())) {
                assertFalse(text.contains(HTTP_PASSWORD), text);
            }
        }
    }

    @Test
    void aChainGoesThroughBothUpstreamsInOrder() throws Exception {
        try (UpstreamProxy dante = UpstreamProxy.dante(false);
                UpstreamProxy tiny = UpstreamProxy.tinyproxy(HTTP_USER, HTTP_PASSWORD)) {
            Path events = dir.resolve("events.jsonl");
            ChildJvm nio = runOk(Fixtures.command(Fixtures.currentJava(), NIO_PROBE, options(events,
                    "*->socks5://127.0.0.1:" + dante.port() + " http://" + HTTP_USER + ":" + HTTP_PASSWORD
                            + "@127.0.0.1:" + tiny.port()), List.of(), List.of(), "httpclient:127.0.0.1:" + httpPort()));
            assertEquals("200", probeValue(nio, "httpclient", "status"));
            dante.awaitLogLines(l -> l.contains("tcp/connect [") && l.contains("127.0.0.1." + tiny.port()), 1);
            tiny.awaitLogLines(l -> l.contains("CONNECT 127.0.0.1:" + httpPort()), 1);
            Map<String, Object> event = Events.only(Events.read(events), e -> true, "the HttpClient connection");
            assertEquals("socks5://127.0.0.1:" + dante.port() + " http://alice@127.0.0.1:" + tiny.port(), event.get("via"));
        }
    }

    @Test
    void aStandInAnswersWhileTheAppStillSeesItsDestination() throws Exception {
        int nobody = UpstreamProxy.freePort(); // the app asks for a port nothing listens on; the stand-in is the echo
        Path events = dir.resolve("events.jsonl");
        String options = options(events, "127.0.0.1:" + nobody + "->127.0.0.1:" + echoPort());
        ChildJvm socket = runOk(Fixtures.probe(Fixtures.currentJava(), options, List.of(), List.of(),
                "socket:" + nobody));
        ChildJvm nio = runOk(Fixtures.command(Fixtures.currentJava(), NIO_PROBE, options, List.of(), List.of(),
                "channel:127.0.0.1:" + nobody));
        assertEquals("1000", probeValue(socket, "socket", "echoed"));
        assertEquals("1000", probeValue(nio, "channel", "echoed"));
        assertEquals("127.0.0.1:" + nobody, probeValue(nio, "channel", "remote"), "getRemoteAddress()");
        assertEquals("127.0.0.1:" + nobody, probeValue(nio, "channel", "socket"), "socket().getInetAddress()/getPort()");
        List<Map<String, Object>> all = Events.read(events);
        assertEquals(2, all.size(), all.toString());
        for (Map<String, Object> event : all) {
            assertEquals((long) nobody, event.get("target_port"), event.toString());
            assertEquals("127.0.0.1:" + echoPort(), event.get("resolved"), event.toString());
            assertEquals("127.0.0.1:" + echoPort(), event.get("via"), event.toString());
        }
    }

    @Test
    void aWrongPasswordOrADeadHopFailsTheConnectLikeADirectFailureAndNamesTheHop() throws Exception {
        int dead = UpstreamProxy.freePort();
        try (UpstreamProxy tiny = UpstreamProxy.tinyproxy(HTTP_USER, HTTP_PASSWORD)) {
            Path events = dir.resolve("events.jsonl");
            ChildJvm nio = runOk(Fixtures.command(Fixtures.currentJava(), NIO_PROBE, options(events,
                    "127.0.0.1:" + echoPort() + "->http://" + HTTP_USER + ":wrong-pw@127.0.0.1:" + tiny.port(),
                    "*->socks5://127.0.0.1:" + dead), List.of(), List.of(),
                    "channel:127.0.0.1:" + echoPort(), "refused:127.0.0.1:" + httpPort(),
                    "asyncrefused:127.0.0.1:" + httpPort()));
            // A dead hop: exactly what a refused direct connect throws.
            assertTrue(line(nio, "refused").contains("exception=java.net.ConnectException"), nio.output());
            assertTrue(line(nio, "refused").contains("message=Connection refused"), nio.output());
            assertTrue(line(nio, "asyncrefused").contains("wrapped=true"), nio.output());
            assertTrue(line(nio, "channel").contains("exception=java.net.ConnectException"), nio.output());
            List<Map<String, Object>> all = Events.read(events);
            assertEquals(3, all.size(), all.toString());
            Map<String, Object> auth = Events.only(all, e -> ((long) echoPort()) == (long) e.get("target_port"), "auth");
            assertEquals("auth-failed", auth.get("outcome"), "the upstream refused the credentials");
            assertTrue(((String) auth.get("failure")).contains("hop 1 of 1 (http://alice@127.0.0.1:" + tiny.port()
                    + ") failed: authentication failed"), auth.toString());
            for (Map<String, Object> refused : all.stream().filter(e -> e != auth).toList()) {
                assertEquals("refused", refused.get("outcome"), refused.toString());
                assertTrue(((String) refused.get("failure")).contains("hop 1 of 1 (socks5://127.0.0.1:" + dead
                        + ") unreachable"), refused.toString());
            }
            assertFalse(Files.readString(events).contains("wrong-pw"));
            assertFalse(nio.output().contains("wrong-pw"), nio.output());
        }
    }

    private static String line(ChildJvm child, String scenario) {
        return child.stdoutLines().stream().filter(l -> l.startsWith("PROBE " + scenario + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no PROBE " + scenario + "\n" + child.output()));
    }
}
