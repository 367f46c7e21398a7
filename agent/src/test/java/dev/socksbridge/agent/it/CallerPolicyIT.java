package dev.socksbridge.agent.it;

import static dev.socksbridge.agent.it.ProbeSupport.probeValue;
import static dev.socksbridge.agent.it.ProbeSupport.probeValueAfter;
import static dev.socksbridge.agent.it.ProbeSupport.runOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * learn-scope=caller, then mode=enforce (and monitor) with the learned file, in child JVMs: the class that
 * made the connection while learning still may; another class connecting to the same destination is
 * refused (marked would-deny in monitor mode), and the log line and the event name the missing rule.
 */
class CallerPolicyIT {

    private static final String PROBE = "dev.socksbridge.probe.callers.CallerProbeApp";
    private static final String BILLING = "dev.socksbridge.probe.callers.billing.Charges";
    private static final String REPORTS = "dev.socksbridge.probe.callers.reports.Reports";

    private static ServerSocket echo;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws IOException {
        echo = Fixtures.echoServer();
    }

    @AfterAll
    static void stopServer() throws IOException {
        echo.close();
    }

    private static ChildJvm run(String agentOptions, String... scenarios) throws Exception {
        return runOk(Fixtures.command(Fixtures.currentJava(), PROBE, agentOptions, List.of(), List.of(), scenarios));
    }

    private static String destination() {
        return "127.0.0.1:" + echo.getLocalPort();
    }

    private Path learnFromBilling() throws Exception {
        Path learned = dir.resolve("learned.conf");
        run("include-loopback=true,summary=off,learn-scope=caller,learn=" + learned, "billing:" + echo.getLocalPort());
        return learned;
    }

    @Test
    void theLearnedCallerRuleLetsItsCallerThroughAndRefusesANewCallerNamingTheMissingRule() throws Exception {
        Path learned = learnFromBilling();
        List<String> policy = Files.readAllLines(learned);
        String rule = "allow=" + BILLING + " -> " + destination();
        assertTrue(policy.contains(rule), policy.toString());
        assertEquals("# callers: " + BILLING + "=1", policy.get(policy.indexOf(rule) - 1), policy.toString());
        assertEquals(1, policy.stream().filter(l -> l.startsWith("allow=")).count(), policy.toString());

        Path events = dir.resolve("enforced.jsonl");
        ChildJvm enforced = run("include-loopback=true,summary=off,mode=enforce,config=" + learned + ",events=" + events,
                "billing:" + echo.getLocalPort(), "reports:" + echo.getLocalPort());
        assertEquals("100", probeValue(enforced, "billing", "echoed"));
        assertEquals("java.net.ConnectException: Connection not allowed by ruleset (socksbridge policy, mode=enforce)",
                probeValueAfter(enforced, "reports", "exception="));

        String missing = "no allow rule for " + REPORTS + " -> " + destination();
        List<Map<String, Object>> recorded = Events.read(events);
        Map<String, Object> refused = Events.only(recorded, e -> "denied".equals(e.get("policy")), "refused");
        assertEquals(REPORTS, refused.get("caller_class"));
        assertEquals("denied", refused.get("outcome"));
        assertEquals(missing, refused.get("failure"));
        Map<String, Object> allowed = Events.only(recorded, e -> "allowed".equals(e.get("policy")), "allowed");
        assertEquals(BILLING, allowed.get("caller_class"));
        assertEquals("ok", allowed.get("outcome"));
        assertTrue(enforced.stderrLines().stream().anyMatch(l -> l.startsWith("socksbridge conn#")
                && l.contains(" policy=denied caller=" + REPORTS + ".call(") && l.endsWith(" reason=\"" + missing + "\"")),
                enforced.output());
    }

    @Test
    void monitorModeMarksTheNewCallerWouldDenyWithTheSameReason() throws Exception {
        Path learned = learnFromBilling();
        Path events = dir.resolve("monitored.jsonl");
        ChildJvm monitored = run("include-loopback=true,summary=off,config=" + learned + ",events=" + events,
                "reports:" + echo.getLocalPort());
        assertEquals("100", probeValue(monitored, "reports", "echoed"));
        String missing = "no allow rule for " + REPORTS + " -> " + destination();
        Map<String, Object> marked = Events.only(Events.read(events), e -> "would-deny".equals(e.get("policy")), "would-deny");
        assertEquals("ok", marked.get("outcome"));
        assertEquals(missing, marked.get("failure"));
        assertTrue(monitored.stderrLines().stream().anyMatch(l -> l.contains(" ok ") && l.contains(" policy=would-deny ")
                && l.endsWith(" reason=\"" + missing + "\"")), monitored.output());
    }

    @Test
    void learningAgainAddsTheNewCallerAndDropsNothing() throws Exception {
        Path learned = learnFromBilling();
        run("include-loopback=true,summary=off,learn-scope=caller,learn=" + learned,
                "billing:" + echo.getLocalPort(), "reports:" + echo.getLocalPort());
        List<String> policy = Files.readAllLines(learned);
        String billing = "allow=" + BILLING + " -> " + destination();
        String reports = "allow=" + REPORTS + " -> " + destination();
        assertEquals("# callers: " + BILLING + "=2", policy.get(policy.indexOf(billing) - 1), policy.toString());
        assertEquals("# callers: " + REPORTS + "=1", policy.get(policy.indexOf(reports) - 1), policy.toString());
        assertEquals(2, policy.stream().filter(l -> l.startsWith("allow=")).count(), policy.toString());
    }

    @Test
    void aBadCallerRuleInTheConfigFileStopsTheStartNamingFileAndLine() throws Exception {
        Path config = Files.writeString(dir.resolve("policy.conf"), "mode=enforce\nallow=com.acme.*.Billing -> x:1\n");
        ChildJvm child = run("config=" + config, "billing:" + echo.getLocalPort());
        String expected = "socksbridge: option allow entry 'com.acme.*.Billing -> x:1' (caller 'com.acme.*.Billing' is";
        assertTrue(child.stderrLines().stream().anyMatch(l -> l.startsWith(expected) && l.contains(" in " + config
                + " line 2") && l.endsWith("(on-error=warn: the app runs without socksbridge)")), child.output());
        assertEquals("100", probeValue(child, "billing", "echoed"), "the app runs without the agent");
    }
}
