package dev.socksbridge.agent.it;

import static dev.socksbridge.agent.it.ProbeSupport.assertCaller;
import static dev.socksbridge.agent.it.ProbeSupport.probeValue;
import static dev.socksbridge.agent.it.ProbeSupport.runOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NIO channels, HttpClient, datagrams and name lookups under the shaded agent, in child JVMs on this JDK
 * and on JDK 17: each event names the caller's line, and the app sees what it would without the agent.
 */
class NioAgentIT {

    private static final String NIO_PROBE = "dev.socksbridge.probe.NioProbeApp";

    private static ServerSocket echo;
    private static HttpServer http;
    private static int refusedPort;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServers() throws IOException {
        echo = Fixtures.echoServer();
        http = Fixtures.httpServer();
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusedPort = closed.getLocalPort(); // nothing listens there once closed
        }
    }

    @AfterAll
    static void stopServers() throws IOException {
        echo.close();
        http.stop(0);
    }

    /** This JDK, and JDK 17 (a run without it skips, saying it was not tested there). */
    static Stream<String> javas() {
        return Fixtures.javas().stream();
    }

    private static String loop(String scenario, int port) {
        return scenario + ":127.0.0.1:" + port;
    }

    @ParameterizedTest
    @MethodSource("javas")
    void everyChannelApiIsProxiedWithItsCallerAndTheAppSeesTheOriginalRemoteAddress(String java) throws Exception {
        Path events = dir.resolve("events.jsonl");
        int port = echo.getLocalPort();
        ChildJvm child = runOk(Fixtures.command(java, NIO_PROBE, "include-loopback=true,events=" + events, List.of(),
                List.of(), loop("channel", port), loop("open", port), loop("adaptor", port), loop("selector", port),
                loop("async", port)));
        List<Map<String, Object>> all = Events.read(events);
        assertEquals(5, all.size(), all + "\n" + child.output());
        String original = "127.0.0.1:" + port;
        for (String[] scenario : new String[][] {{"channel", "blocking"}, {"open", "open"}, {"adaptor", "adaptor"},
                {"selector", "selector"}, {"async", "async"}}) {
            Map<String, Object> event = Events.only(all, e -> scenario[1].equals(e.get("caller_method")), scenario[0]);
            assertCaller(event, "NioProbeApp", scenario[1], child, scenario[0], "line");
            assertEquals("proxy", event.get("route"), event.toString());
            assertEquals("transparent", event.get("protocol"), event.toString());
            assertEquals("ok", event.get("outcome"), event.toString());
            assertEquals((long) port, event.get("target_port"), event.toString());
            assertEquals(original, event.get("resolved"), event.toString());
            assertEquals(1000L, event.get("bytes_up"), event.toString());
            assertEquals(1000L, event.get("bytes_down"), event.toString());
            assertEquals("main", event.get("thread"), event.toString());
            assertEquals(original, probeValue(child, scenario[0], "remote"), "getRemoteAddress()");
            assertEquals("true", probeValue(child, scenario[0], "string"), "toString() names the original address");
            assertEquals("1000", probeValue(child, scenario[0], "echoed"));
            if (!scenario[0].equals("async")) {
                assertEquals(original, probeValue(child, scenario[0], "socket"), "socket().getInetAddress()/getPort()");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("javas")
    void manyVirtualThreadsConnectingChannelsAtOnceAllGetThrough(String java) throws Exception {
        Path events = dir.resolve("events.jsonl");
        ChildJvm child = runOk(Fixtures.command(java, NIO_PROBE, "include-loopback=true,log=off,events=" + events,
                List.of(), List.of("-Djdk.virtualThreadScheduler.parallelism=1"), loop("virtual", echo.getLocalPort())));
        assertEquals(String.valueOf(40 * 1000), probeValue(child, "virtual", "echoed"));
        List<Map<String, Object>> all = Events.read(events);
        assertEquals(40, all.size(), child.output());
        for (Map<String, Object> event : all) {
            assertEquals("proxy", event.get("route"), event.toString());
            assertEquals("ok", event.get("outcome"), event.toString());
            assertEquals(1000L, event.get("bytes_down"), event.toString());
            assertEquals("dev.socksbridge.probe.NioProbeApp", event.get("caller_class"), event.toString());
            assertTrue(((String) event.get("caller_method")).contains("virtualThreads"), "the task's lambda: " + event);
        }
    }

    @ParameterizedTest
    @MethodSource("javas")
    void httpClientConnectionsAreProxiedWithTheCallerOfSendAndOfSendAsync(String java) throws Exception {
        Path events = dir.resolve("events.jsonl");
        int port = http.getAddress().getPort();
        ChildJvm child = runOk(Fixtures.command(java, NIO_PROBE, "include-loopback=true,events=" + events, List.of(),
                List.of(), loop("httpclient", port), loop("httpasync", port)));
        assertEquals("200", probeValue(child, "httpclient", "status"));
        assertEquals(String.valueOf(Fixtures.HTTP_BODY), probeValue(child, "httpasync", "body"));
        List<Map<String, Object>> all = Events.read(events);
        assertEquals(2, all.size(), all + "\n" + child.output());

        Map<String, Object> send = Events.only(all, e -> "httpClient".equals(e.get("caller_method")), "send()");
        assertCaller(send, "NioProbeApp", "httpClient", child, "httpclient", "line");
        assertEquals("proxy", send.get("route"));
        assertTrue((Long) send.get("bytes_up") > 0, send.toString());
        assertTrue((Long) send.get("bytes_down") > Fixtures.HTTP_BODY, send.toString());

        // sendAsync connects on the client's worker thread; the caller of sendAsync is handed over to it
        Map<String, Object> async = Events.only(all, e -> "httpAsync".equals(e.get("caller_method")), "sendAsync()");
        assertCaller(async, "NioProbeApp", "httpAsync", child, "httpasync", "line");
        assertEquals("proxy", async.get("route"));
        assertTrue(((String) async.get("thread")).startsWith("HttpClient-"), "the thread that connected: " + async);
        assertTrue((Long) async.get("bytes_down") > Fixtures.HTTP_BODY, async.toString());
    }

    @ParameterizedTest
    @MethodSource("javas")
    void httpClientOverHttp2AndTlsIsProxiedWithItsCaller(String java) throws Exception {
        Path events = dir.resolve("events.jsonl");
        try (Http2TlsServer h2 = Http2TlsServer.start(dir)) {
            ChildJvm child = runOk(Fixtures.command(java, NIO_PROBE, "include-loopback=true,events=" + events,
                    List.of(), List.of("-Djavax.net.ssl.trustStore=" + h2.trustStore(),
                            "-Djavax.net.ssl.trustStorePassword=" + Http2TlsServer.PASSWORD),
                    loop("http2", h2.port())));
            assertEquals("200", probeValue(child, "http2", "status"), child.output());
            assertEquals("HTTP_2", probeValue(child, "http2", "version"), "ALPN chose h2 through the relay");
            assertEquals(String.valueOf(Fixtures.HTTP_BODY), probeValue(child, "http2", "body"));

            Map<String, Object> event = Events.only(Events.read(events), e -> true, "the h2 connection");
            assertCaller(event, "NioProbeApp", "http2", child, "http2", "line");
            assertEquals("proxy", event.get("route"), event.toString());
            assertEquals("ok", event.get("outcome"), event.toString());
            assertEquals((long) h2.port(), event.get("target_port"), event.toString());
            // the TLS handshake and the HTTP/2 preface went up, the certificate and the encrypted body came down
            assertTrue((Long) event.get("bytes_up") > 100, event.toString());
            assertTrue((Long) event.get("bytes_down") > Fixtures.HTTP_BODY, event.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("javas")
    void refusedUnresolvedAndDeniedConnectsFailAsTheAppExpects(String java) throws Exception {
        Path events = dir.resolve("events.jsonl");
        int denied = echo.getLocalPort();
        String[] scenarios = {loop("refused", refusedPort), loop("selectorrefused", refusedPort),
            loop("asyncrefused", refusedPort), "unresolved:nosuch.invalid:80"};
        ChildJvm plain = runOk(Fixtures.command(java, NIO_PROBE, null, List.of(), List.of(), scenarios));
        List<String> withDenied = new ArrayList<>(List.of(scenarios));
        withDenied.add(loop("denied", denied));
        ChildJvm child = runOk(Fixtures.command(java, NIO_PROBE,
                "include-loopback=true,mode=enforce,deny=127.0.0.1:" + denied + ",events=" + events, List.of(),
                List.of(), withDenied.toArray(new String[0])));

        for (String scenario : new String[] {"refused", "selectorrefused", "asyncrefused", "unresolved"}) {
            assertEquals(probeLine(plain, scenario), probeLine(child, scenario), "the same failure as without the agent");
        }
        assertTrue(probeLine(child, "refused").contains("exception=java.net.ConnectException"), child.output());
        assertTrue(probeLine(child, "asyncrefused").contains("wrapped=true"), "async: ExecutionException(ConnectException)");
        String deniedLine = probeLine(child, "denied");
        assertTrue(deniedLine.contains("exception=java.net.ConnectException")
                && deniedLine.contains("socksbridge policy, mode=enforce"), deniedLine);

        List<Map<String, Object>> all = Events.read(events);
        Map<String, Object> refused = Events.only(all,
                e -> "selector".equals(e.get("caller_method")) && "refused".equals(e.get("outcome")), "refused");
        assertCaller(refused, "NioProbeApp", "selector", child, "selectorrefused", "line");
        assertEquals((long) refusedPort, refused.get("target_port"));
        Map<String, Object> policy = Events.only(all, e -> "denied".equals(e.get("outcome")), "denied");
        assertEquals("denied", policy.get("policy"));
        assertEquals("blocking", policy.get("caller_method"));
        Map<String, Object> unresolved = Events.only(all, e -> "nosuch.invalid".equals(e.get("target_host"))
                && "tcp".equals(e.get("protocol")), "unresolved");
        assertEquals("direct", unresolved.get("route"));
        assertEquals("UnresolvedAddressException", unresolved.get("failure"));
    }

    @ParameterizedTest
    @MethodSource("javas")
    void ipv6DestinationsAreProxiedToo(String java) throws Exception {
        ServerSocket v6;
        try {
            v6 = new ServerSocket(0, 50, InetAddress.getByName("::1"));
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e);
            return;
        }
        v6.close();
        ServerSocket echo6 = Fixtures.echoServer(InetAddress.getByName("::1"));
        try {
            Path events = dir.resolve("events.jsonl");
            int port = echo6.getLocalPort();
            ChildJvm child = runOk(Fixtures.command(java, NIO_PROBE, "include-loopback=true,events=" + events,
                    List.of(), List.of(), "channel:::1:" + port));
            Map<String, Object> event = Events.only(Events.read(events), e -> true, "IPv6 channel");
            assertEquals("proxy", event.get("route"));
            assertEquals("[::1]:" + port, event.get("resolved"));
            assertEquals(1000L, event.get("bytes_down"));
            assertEquals("[0:0:0:0:0:0:0:1]:" + port, probeValue(child, "channel", "remote"));
        } finally {
            echo6.close();
        }
    }

    @ParameterizedTest
    @MethodSource("javas")
    void excludedLoopbackGoesDirectButIsLoggedWithItsCaller(String java) throws Exception {
        Path events = dir.resolve("events.jsonl");
        int port = echo.getLocalPort();
        ChildJvm child = runOk(Fixtures.command(java, NIO_PROBE, "events=" + events, List.of(), List.of(),
                loop("channel", port)));
        Map<String, Object> event = Events.only(Events.read(events), e -> true, "direct channel");
        assertEquals("direct", event.get("route"));
        assertEquals("ok", event.get("outcome"));
        assertCaller(event, "NioProbeApp", "blocking", child, "channel", "line");
        assertEquals("127.0.0.1:" + port, probeValue(child, "channel", "remote"));
    }

    @ParameterizedTest
    @MethodSource("javas")
    void datagramsAndLookupsAreRecordedPerCaller(String java) throws Exception {
        Path events = dir.resolve("events.jsonl");
        Path log = dir.resolve("agent.log");
        try (DatagramSocket sink = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int udpPort = sink.getLocalPort();
            int port = echo.getLocalPort();
            ChildJvm child = runOk(Fixtures.command(java, NIO_PROBE, "include-loopback=true,events=" + events
                    + ",log=" + log, List.of(), List.of(), loop("udp", udpPort), "dns:localhost:" + port));
            List<Map<String, Object>> all = Events.read(events);

            Map<String, Object> sends = Events.only(all, e -> "udp".equals(e.get("protocol"))
                    && ((Long) e.get("bytes_up")) == 200L, "two DatagramChannel.send calls from one call site");
            assertCaller(sends, "NioProbeApp", "udp", child, "udp", "line");
            assertEquals("direct", sends.get("route"));
            assertEquals((long) udpPort, sends.get("target_port"));
            Map<String, Object> connected = Events.only(all, e -> "udp".equals(e.get("protocol"))
                    && ((Long) e.get("bytes_up")) == 50L, "connected DatagramChannel.write");
            assertCaller(connected, "NioProbeApp", "udp", child, "udp", "connectedline");
            Map<String, Object> socket = Events.only(all, e -> "udp".equals(e.get("protocol"))
                    && ((Long) e.get("bytes_up")) == 30L, "DatagramSocket.send");
            assertCaller(socket, "NioProbeApp", "udp", child, "udp", "socketline");

            Map<String, Object> lookup = Events.only(all, e -> "dns".equals(e.get("protocol"))
                    && "dns".equals(e.get("caller_method")), "InetAddress.getAllByName");
            assertCaller(lookup, "NioProbeApp", "dns", child, "dns", "line");
            assertEquals("localhost", lookup.get("target_host"));
            assertEquals("ok", lookup.get("outcome"));
            assertTrue(((String) lookup.get("resolved")).contains("127.0.0.1"), lookup.toString());

            String logText = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(logText.lines().anyMatch(l -> l.startsWith("socksbridge summary  udp 127.0.0.1:" + udpPort)
                    && l.contains(" 2 ") && l.contains(" 200B ")), "datagrams and bytes per caller\n" + logText);
            assertTrue(logText.lines().anyMatch(l -> l.startsWith("socksbridge summary  dns localhost")
                    && l.endsWith("then: localhost:" + port)), "the lookup is linked to the connection\n" + logText);
        }
    }

    @ParameterizedTest
    @MethodSource("javas")
    void nettyNioAndNativeEpollClientsAreBothProxiedWithTheAppsCaller(String java) throws Exception {
        Path events = dir.resolve("events.jsonl");
        int port = echo.getLocalPort();
        ChildJvm child = runOk(Fixtures.command(java, "dev.socksbridge.probe.NettyProbeApp",
                "include-loopback=true,events=" + events, nettyJars(), List.of(), loop("nio", port), loop("epoll", port)));
        List<Map<String, Object>> all = Events.read(events);
        assertEquals(2, all.size(), all + "\n" + child.output());
        for (String scenario : List.of("nio", "epoll")) {
            assertEquals("1000", probeValue(child, scenario, "echoed"));
            assertEquals("127.0.0.1:" + port, probeValue(child, scenario, "remote"), "the channel's remoteAddress()");
        }
        for (Map<String, Object> event : all) {
            assertEquals("proxy", event.get("route"), event.toString());
            assertEquals("transparent", event.get("protocol"), event.toString());
            assertEquals((long) port, event.get("target_port"), event.toString());
            assertEquals(1000L, event.get("bytes_up"), event.toString());
            assertEquals(1000L, event.get("bytes_down"), event.toString());
            // Netty connects on its event loop; the caller is where the app's Bootstrap.connect created the channel
            assertCaller(event, "NettyProbeApp", "run", child, "nio", "line");
            assertTrue(((String) event.get("thread")).startsWith("multiThreadIoEventLoopGroup"), event.toString());
        }
        assertTrue(child.stderrLines().stream().noneMatch(l -> l.contains("not captured")), child.output());
    }

    static List<String> nettyJars() throws IOException {
        return jarsIn("netty");
    }

    /** The jars staged into it-libs/{@code name} (see the pom's stage-* executions). */
    static List<String> jarsIn(String name) throws IOException {
        Path dir = Path.of(Fixtures.required("socksbridge.it.libs"), name);
        try (Stream<Path> jars = Files.list(dir)) {
            return jars.map(Path::toString).filter(jar -> jar.endsWith(".jar")).toList();
        }
    }

    private static String probeLine(ChildJvm child, String scenario) {
        return child.stdoutLines().stream().filter(l -> l.startsWith("PROBE " + scenario + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no PROBE " + scenario + "\n" + child.output()));
    }
}
