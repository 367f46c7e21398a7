package dev.socksbridge.agent.it;

import static dev.socksbridge.agent.it.ProbeSupport.assertCaller;
import static dev.socksbridge.agent.it.ProbeSupport.runOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.ConnectionListener;
import dev.socksbridge.proxy.Socks5Server;
import java.util.concurrent.atomic.AtomicInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The shaded agent jar in child JVMs running the probe app, against loopback servers in this JVM. */
class AgentIT {

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

    @Test
    void eventsNameTheCallerTargetBytesAndOutcomeOfEachConnection() throws Exception {
        checkProbe(Fixtures.currentJava());
    }

    @Test
    void sameProbeOnJdk17() throws Exception {
        String java17 = Fixtures.java17();
        checkProbe(java17);
    }

    @Test
    void legacyPlainSocketImplOnJdk17IsTaggedToo() throws Exception {
        String java17 = Fixtures.java17();
        Path events = dir.resolve("events.jsonl");
        ChildJvm child = runOk(Fixtures.probe(java17, "include-loopback=true,events=" + events, List.of(),
                List.of("-Djdk.net.usePlainSocketImpl=true"), "socket:" + echoPort()));
        Map<String, Object> socket = Events.only(Events.read(events), e -> true, "for the socket");
        assertEquals("proxy", socket.get("route"));
        assertCaller(socket, "plainSocket", child, "socket");
    }

    /**
     * The hooks skip finding the caller only when nothing reads connections: with the log line and the
     * summary off, an events file still gets every caller, proxied and direct.
     */
    @Test
    void withTheLogAndSummaryOffTheEventsFileStillNamesEveryCaller() throws Exception {
        Path events = dir.resolve("events.jsonl");
        ChildJvm child = runOk(Fixtures.probe(Fixtures.currentJava(),
                "include-loopback=true,log=off,summary=off,events=" + events, List.of(), List.of(),
                "socket:" + echoPort(), "direct:" + echoPort()));
        List<Map<String, Object>> all = Events.read(events);
        assertEquals(2, all.size(), all + "\n" + child.output());
        assertCaller(Events.only(all, e -> "proxy".equals(e.get("route")), "proxied"), "plainSocket", child, "socket");
        assertCaller(Events.only(all, e -> "direct".equals(e.get("route")), "direct"), "direct", child, "direct");
        assertTrue(child.stderrLines().stream().noneMatch(line -> line.contains("socksbridge summary")),
                child.output());
    }

    private void checkProbe(String java) throws Exception {
        Path events = dir.resolve("events.jsonl");
        Path log = dir.resolve("agent.log");
        ChildJvm child = runOk(Fixtures.probe(java,
                "include-loopback=true,caller-exclude=dev.socksbridge.probe.driver,events=" + events + ",log=" + log,
                List.of(), List.of(), "socket:" + echoPort(), "http:" + httpPort(), "driver:" + echoPort(),
                "direct:" + echoPort()));
        List<Map<String, Object>> all = Events.read(events);
        assertEquals(4, all.size(), "one event per connection: " + all + "\n" + child.output());

        Map<String, Object> socket = Events.only(all, e -> "plainSocket".equals(e.get("caller_method")), "socket");
        assertCaller(socket, "plainSocket", child, "socket");
        assertProxied(socket, echoPort(), 1000, 1000);
        assertEquals("main", socket.get("thread"));
        assertEquals(Boolean.FALSE, socket.get("virtual"));

        Map<String, Object> web = Events.only(all, e -> "http".equals(e.get("caller_method")), "HttpURLConnection");
        assertCaller(web, "http", child, "http");
        assertEquals("proxy", web.get("route"));
        assertEquals((long) httpPort(), web.get("target_port"));
        assertTrue((Long) web.get("bytes_up") > 0, web.toString());
        assertTrue((Long) web.get("bytes_down") > Fixtures.HTTP_BODY, web.toString());

        Map<String, Object> driver = Events.only(all, e -> "driver".equals(e.get("caller_method")), "driver");
        assertCaller(driver, "driver", child, "driver");
        assertProxied(driver, echoPort(), 1000, 1000);

        Map<String, Object> direct = Events.only(all, e -> "direct".equals(e.get("route")), "NO_PROXY socket");
        assertCaller(direct, "direct", child, "direct");
        assertEquals("ok", direct.get("outcome"));
        assertEquals(null, direct.get("bytes_up"));

        String logText = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(logText.contains("caller=dev.socksbridge.probe.ProbeApp.plainSocket(ProbeApp.java:"), logText);
        assertTrue(logText.contains("route=direct"), logText);
        assertTrue(logText.contains("socksbridge summary"), "summary at exit\n" + logText);
    }

    private static void assertProxied(Map<String, Object> event, int port, long up, long down) {
        assertEquals("proxy", event.get("route"), event.toString());
        assertEquals("socks5", event.get("protocol"), event.toString());
        assertEquals("connect", event.get("command"), event.toString());
        assertEquals("127.0.0.1", event.get("target_host"), event.toString());
        assertEquals((long) port, event.get("target_port"), event.toString());
        assertEquals("127.0.0.1:" + port, event.get("resolved"), event.toString());
        assertEquals("ok", event.get("outcome"), event.toString());
        assertEquals(0L, event.get("reply_code"), event.toString());
        assertEquals(up, event.get("bytes_up"), event.toString());
        assertEquals(down, event.get("bytes_down"), event.toString());
    }

    @Test
    void aProxyTheAppPassesItselfIsRespectedAndReportedAsDirect() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        Path events = dir.resolve("events.jsonl");
        try (Socks5Server own = Socks5Server.builder().listener(new ConnectionListener() {
            @Override
            public void onClose(ConnectionEvent event) {
                seen.incrementAndGet();
            }
        }).build().start()) {
            ChildJvm child = runOk(Fixtures.probe(Fixtures.currentJava(), "include-loopback=true,events=" + events,
                    List.of(), List.of(), "ownproxy:" + echoPort() + ":" + own.address().getPort()));
            assertEquals("1000", ProbeSupport.probeValue(child, "ownproxy", "echoed"));
            Map<String, Object> event = Events.only(Events.read(events), e -> true, "for the app's own proxy");
            assertEquals("direct", event.get("route"));
            assertEquals((long) echoPort(), event.get("target_port"));
            assertCaller(event, "ownProxy", child, "ownproxy");
        }
        assertEquals(1, seen.get(), "the app's own proxy carried the connection");
    }

    @Test
    void aConnectionStillOpenAtExitIsReportedWithItsBytes() throws Exception {
        Path events = dir.resolve("events.jsonl");
        ChildJvm child = runOk(Fixtures.probe(Fixtures.currentJava(), "include-loopback=true,events=" + events,
                List.of(), List.of(), "keepalive:" + httpPort()));
        Map<String, Object> kept = Events.only(Events.read(events), e -> true, "for the kept-alive connection");
        assertCaller(kept, "keepAlive", child, "keepalive");
        assertTrue((Long) kept.get("bytes_down") > Fixtures.HTTP_BODY, kept.toString());
        assertTrue(child.stderrLines().stream().anyMatch(l -> l.startsWith("socksbridge summary")), child.output());
    }

    @Test
    void aRenamedCopyOfTheJarStillTagsCallers() throws Exception {
        Path renamed = Files.copy(Fixtures.agentJar(), dir.resolve("agent-copy.jar"));
        Path events = dir.resolve("events.jsonl");
        List<String> command = new java.util.ArrayList<>(Fixtures.probe(Fixtures.currentJava(), null, List.of(),
                List.of("-javaagent:" + renamed + "=include-loopback=true,events=" + events), "socket:" + echoPort()));
        ChildJvm child = runOk(command);
        Map<String, Object> socket = Events.only(Events.read(events), e -> true, "for the socket");
        assertEquals("proxy", socket.get("route"));
        assertCaller(socket, "plainSocket", child, "socket");
    }

    @Test
    void loopbackStaysDirectUnlessIncluded() throws Exception {
        Path events = dir.resolve("events.jsonl");
        ChildJvm child = runOk(Fixtures.probe(Fixtures.currentJava(), "events=" + events, List.of(), List.of(),
                "socket:" + echoPort()));
        Map<String, Object> socket = Events.only(Events.read(events), e -> true, "for the socket");
        assertEquals("direct", socket.get("route"));
        assertCaller(socket, "plainSocket", child, "socket");
        assertTrue(child.stderrLines().stream().anyMatch(l -> l.contains("route=direct")), child.output());
    }

    @Test
    void enforceModeRefusesADeniedDestinationAndNamesTheCaller() throws Exception {
        Path events = dir.resolve("events.jsonl");
        ChildJvm child = runOk(Fixtures.probe(Fixtures.currentJava(),
                "mode=enforce,deny=*.blocked.example|10.0.0.0/8,events=" + events, List.of(), List.of(),
                "denied:443:api.blocked.example"));
        assertEquals("java.net.ConnectException: Connection not allowed by ruleset (socksbridge policy, mode=enforce)",
                ProbeSupport.probeValueAfter(child, "denied", "exception="), child.output());
        Map<String, Object> denied = Events.only(Events.read(events), e -> true, "for the denied connect");
        assertEquals("denied", denied.get("outcome"));
        assertEquals("denied", denied.get("policy"));
        assertEquals(2L, denied.get("reply_code"));
        assertEquals("api.blocked.example", denied.get("target_host"));
        assertEquals("ProbeApp", simpleName(denied.get("caller_class")));
        assertEquals("denied", denied.get("caller_method"));
        assertTrue(child.stderrLines().stream().anyMatch(l -> l.contains("CONNECT api.blocked.example:443")
                && l.contains("caller=dev.socksbridge.probe.ProbeApp.denied(")), child.output());
    }

    @Test
    void monitorModeOnlyMarksWouldDenyAndLogOffLeavesOnlyTheSummary() throws Exception {
        Path events = dir.resolve("events.jsonl");
        ChildJvm child = runOk(Fixtures.probe(Fixtures.currentJava(),
                "include-loopback=true,deny=127.0.0.0/8,log=off,events=" + events, List.of(), List.of(),
                "socket:" + echoPort()));
        Map<String, Object> socket = Events.only(Events.read(events), e -> true, "for the socket");
        assertEquals("ok", socket.get("outcome"));
        assertEquals("would-deny", socket.get("policy"));
        assertEquals(1000L, socket.get("bytes_down"));
        assertTrue(child.stderrLines().stream().noneMatch(l -> l.contains("conn#")), child.output());
        assertTrue(child.stderrLines().stream().anyMatch(l -> l.startsWith("socksbridge summary")), child.output());
    }

    @Test
    void optionsCanComeFromAConfigFile() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Path config = Files.writeString(dir.resolve("socksbridge.conf"),
                "# probe settings\ninclude-loopback=true\nevents=" + events + "\nsummary=off\n");
        ChildJvm child = runOk(Fixtures.probe(Fixtures.currentJava(), "config=" + config, List.of(), List.of(),
                "socket:" + echoPort()));
        Map<String, Object> socket = Events.only(Events.read(events), e -> true, "for the socket");
        assertEquals("proxy", socket.get("route"));
        assertTrue(child.stderrLines().stream().noneMatch(l -> l.startsWith("socksbridge summary")), child.output());
    }

    @Test
    void occupiedPortWithOnErrorWarnLeavesTheAppRunningDirect() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path events = dir.resolve("events.jsonl");
            ChildJvm child = runOk(Fixtures.probe(Fixtures.currentJava(),
                    "port=" + taken.getLocalPort() + ",include-loopback=true,on-error=warn,events=" + events,
                    List.of(), List.of(), "socket:" + echoPort()));
            assertEquals("1000", ProbeSupport.probeValue(child, "socket", "echoed"));
            List<String> warnings = child.stderrLines().stream().filter(l -> l.startsWith("socksbridge")).toList();
            assertEquals(1, warnings.size(), child.output());
            assertTrue(warnings.get(0).contains("port=" + taken.getLocalPort()), warnings.get(0));
            assertTrue(warnings.get(0).contains("on-error=warn"), warnings.get(0));
        }
    }

    @Test
    void badOptionWithOnErrorFailStopsTheJvmNamingTheKey() throws Exception {
        ChildJvm child = ChildJvm.start(Fixtures.probe(Fixtures.currentJava(), "on-error=fail,mode=block", List.of(),
                List.of(), "socket:" + echoPort()));
        int exit = child.awaitExit(ProbeSupport.RUN_LIMIT);
        assertNotEquals(0, exit, child.output());
        assertTrue(child.stdoutLines().isEmpty(), "main must not run\n" + child.output());
        assertTrue(child.stderrLines().stream().anyMatch(l -> l.contains("option mode=block")
                && l.contains("expected: monitor or enforce")), child.output());
    }

    @Test
    void unknownOptionWarnsOnceAndTheAppRuns() throws Exception {
        ChildJvm child = runOk(Fixtures.probe(Fixtures.currentJava(), "colour=red", List.of(), List.of(),
                "socket:" + echoPort()));
        List<String> warnings = child.stderrLines().stream().filter(l -> l.startsWith("socksbridge")).toList();
        assertEquals(1, warnings.size(), child.output());
        assertTrue(warnings.get(0).contains("unknown option 'colour'"), warnings.get(0));
    }

    @Test
    void appBundlingItsOwnByteBuddyAndSlf4jSimpleIsUnaffected() throws Exception {
        Path libs = Path.of(Fixtures.required("socksbridge.it.libs"));
        List<String> jars;
        try (var files = Files.list(libs)) {
            jars = files.map(Path::toString).filter(f -> f.endsWith(".jar")).sorted().toList();
        }
        assertEquals(3, jars.size(), "byte-buddy, slf4j-api, slf4j-simple staged in " + libs);
        Path events = dir.resolve("events.jsonl");
        ChildJvm child = runOk(Fixtures.probe(Fixtures.currentJava(), "include-loopback=true,events=" + events, jars,
                List.of(), "libraries:" + echoPort()));
        assertEquals("probe.Generated", ProbeSupport.probeValue(child, "libraries", "generated"));
        String byteBuddyJar = ProbeSupport.probeValue(child, "libraries", "bytebuddy");
        assertTrue(byteBuddyJar.contains("byte-buddy-" + System.getProperty("socksbridge.it.bytebuddy", "")),
                byteBuddyJar);
        assertTrue(child.stderrLines().stream().anyMatch(l -> l.contains("INFO probe.app - app logging works")),
                "the app's slf4j-simple is its backend\n" + child.output());
        Map<String, Object> socket = Events.only(Events.read(events), e -> true, "for the socket");
        assertCaller(socket, "appLibraries", child, "libraries");
        // Only the hooks are on the boot path; the agent's own classes and libraries are out of the app's reach.
        assertEquals("boot", ProbeSupport.probeValue(child, "libraries", "hooks"));
        assertEquals("hidden", ProbeSupport.probeValue(child, "libraries", "agentByteBuddy"));
        assertEquals("hidden", ProbeSupport.probeValue(child, "libraries", "agentProxy"));
        assertEquals("hidden", ProbeSupport.probeValue(child, "libraries", "agentStart"));
    }

    @Test
    void virtualThreadConnectionsAreTaggedWithoutDeadlock() throws Exception {
        int count = 40;
        Path events = dir.resolve("events.jsonl");
        ChildJvm child = runOk(Fixtures.probe(Fixtures.currentJava(), "include-loopback=true,events=" + events,
                List.of(), List.of("-Djdk.virtualThreadScheduler.parallelism=1"), "virtual:" + echoPort() + ":" + count));
        assertEquals(String.valueOf(count * 1000), ProbeSupport.probeValue(child, "virtual", "echoed"));
        List<Map<String, Object>> all = Events.read(events);
        assertEquals(count, all.size(), all.toString());
        boolean virtualThreads = Runtime.version().feature() >= 21;
        for (Map<String, Object> event : all) {
            assertEquals("proxy", event.get("route"), event.toString());
            assertEquals(1000L, event.get("bytes_down"), event.toString());
            assertEquals("lambda$virtualThreads$0", event.get("caller_method"), event.toString());
            assertEquals(virtualThreads, event.get("virtual"), event.toString());
        }
    }

    private static String simpleName(Object className) {
        String name = String.valueOf(className);
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
