package dev.socksbridge.agent.it;

import static dev.socksbridge.agent.it.ProbeSupport.probeValue;
import static dev.socksbridge.agent.it.ProbeSupport.probeValueAfter;
import static dev.socksbridge.agent.it.ProbeSupport.runOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * learn= then mode=enforce with the learned file, in child JVMs: what the app did before still works, a
 * destination it never used is refused, and learning again merges into the file.
 */
class InventoryIT {

    private static ServerSocket echo;
    private static ServerSocket unknown;
    private static HttpServer http;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServers() throws IOException {
        echo = Fixtures.echoServer();
        unknown = Fixtures.echoServer();
        http = Fixtures.httpServer();
    }

    @AfterAll
    static void stopServers() throws IOException {
        echo.close();
        unknown.close();
        http.stop(0);
    }

    private static String[] knownTraffic() {
        return new String[] {"socket:" + echo.getLocalPort(), "http:" + http.getAddress().getPort()};
    }

    @Test
    void theLearnedPolicyLetsTheSameTrafficThroughAndRefusesANewDestination() throws Exception {
        Path learned = dir.resolve("learned.conf");
        runOk(Fixtures.probe(Fixtures.currentJava(), "include-loopback=true,summary=off,learn=" + learned, List.of(),
                List.of(), knownTraffic()));
        List<String> policy = Files.readAllLines(learned);
        String echoRule = "allow=127.0.0.1:" + echo.getLocalPort();
        String httpRule = "allow=127.0.0.1:" + http.getAddress().getPort();
        assertEquals("# callers: dev.socksbridge.probe.ProbeApp=1", policy.get(policy.indexOf(echoRule) - 1), policy.toString());
        assertTrue(policy.contains(httpRule), policy.toString());
        assertEquals(2, policy.stream().filter(l -> l.startsWith("allow=")).count(), policy.toString());

        Path events = dir.resolve("enforced.jsonl");
        String newDestination = "denied:" + unknown.getLocalPort() + ":127.0.0.1";
        ChildJvm enforced = runOk(Fixtures.probe(Fixtures.currentJava(), "include-loopback=true,mode=enforce,config="
                + learned + ",events=" + events, List.of(), List.of(), knownTraffic()[0], knownTraffic()[1], newDestination));
        assertEquals("1000", probeValue(enforced, "socket", "echoed"));
        assertEquals("200", probeValue(enforced, "http", "status"));
        assertEquals("java.net.ConnectException: Connection not allowed by ruleset (socksbridge policy, mode=enforce)",
                probeValueAfter(enforced, "denied", "exception="));
        List<Map<String, Object>> recorded = Events.read(events);
        Map<String, Object> refused = Events.only(recorded, e -> "denied".equals(e.get("policy")), "refused");
        assertEquals((long) unknown.getLocalPort(), refused.get("target_port"));
        assertEquals(2, recorded.stream().filter(e -> "allowed".equals(e.get("policy")) && "ok".equals(e.get("outcome")))
                .count(), recorded.toString());
    }

    @Test
    void learningAgainMergesCountsAndKeepsWhatWasThere() throws Exception {
        Path learned = Files.writeString(dir.resolve("learned.conf"), "allow=kept.example:443\n");
        String options = "include-loopback=true,summary=off,learn=" + learned;
        runOk(Fixtures.probe(Fixtures.currentJava(), options, List.of(), List.of(), "socket:" + echo.getLocalPort()));
        runOk(Fixtures.probe(Fixtures.currentJava(), options, List.of(), List.of(), knownTraffic()));
        List<String> policy = Files.readAllLines(learned);
        assertTrue(policy.contains("allow=kept.example:443"), policy.toString());
        String echoRule = "allow=127.0.0.1:" + echo.getLocalPort();
        assertEquals("# callers: dev.socksbridge.probe.ProbeApp=2", policy.get(policy.indexOf(echoRule) - 1), policy.toString());
        assertEquals("# callers: dev.socksbridge.probe.ProbeApp=1",
                policy.get(policy.indexOf("allow=127.0.0.1:" + http.getAddress().getPort()) - 1), policy.toString());
    }

    @Test
    void aMalformedLearnFileStopsTheStartNamingFileAndLine() throws Exception {
        Path learned = Files.writeString(dir.resolve("learned.conf"), "# fine\nallow=a.example:1\nnot a setting\n");
        ChildJvm child = runOk(Fixtures.probe(Fixtures.currentJava(), "learn=" + learned, List.of(), List.of(),
                "socket:" + echo.getLocalPort()));
        String expected = "socksbridge: option learn=" + learned + ": " + learned + ":3: 'not a setting' (expected: key=value";
        assertTrue(child.stderrLines().stream().anyMatch(l -> l.startsWith(expected)
                && l.endsWith("(on-error=warn: the app runs without socksbridge)")), child.output());
        assertEquals("# fine\nallow=a.example:1\nnot a setting\n", Files.readString(learned));
    }
}
