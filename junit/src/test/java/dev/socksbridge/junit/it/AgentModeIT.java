package dev.socksbridge.junit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the agent loaded ({@code -javaagent:} the built jar, in a child JVM) the extension reads the agent's
 * recordings through {@code AgentEvents} instead of starting its own server: same pass/fail results,
 * callers and threads as without it.
 */
class AgentModeIT {

    private static final Map<String, String> RESULTS = new HashMap<>();
    private static String selector;
    private static int echoPort;
    private static Path stderr;

    @BeforeAll
    static void runTheSamplesUnderTheAgent() throws Exception {
        Path agentJar = Path.of(System.getProperty("socksbridge.agent.jar", "missing"));
        assertTrue(Files.isRegularFile(agentJar), () -> agentJar + " is missing: build the agent module first");
        Path work = Files.createDirectories(Path.of(System.getProperty("socksbridge.it.work")));
        Path stdout = Files.createTempFile(work, "agent-mode-", ".out");
        stderr = Files.createTempFile(work, "agent-mode-", ".err");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agentJar + "=include-loopback=true,summary=off",
                "-cp", System.getProperty("java.class.path"), AgentModeMain.class.getName())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!child.waitFor(3, TimeUnit.MINUTES)) {
            child.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 3 min; stderr: " + stderr);
        }
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), () -> "child JVM failed; stderr:\n" + err);
        for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
            if (line.startsWith("RESULT ")) {
                int split = line.indexOf(" :: ");
                RESULTS.put(line.substring("RESULT ".length(), split), line.substring(split + 4).replace("\\n", "\n"));
            } else if (line.startsWith("SELECTOR ")) {
                selector = line.substring("SELECTOR ".length());
            } else if (line.startsWith("ECHO_PORT ")) {
                echoPort = Integer.parseInt(line.substring("ECHO_PORT ".length()));
            }
        }
        assertTrue(!RESULTS.isEmpty(), () -> "no results from the child; stderr:\n" + err);
    }

    private static String result(String test) {
        String result = RESULTS.get(test);
        assertTrue(result != null, () -> test + " did not run: " + RESULTS.keySet() + "; child stderr: " + stderr);
        return result;
    }

    @Test
    void faultsGoIntoTheAgentsOwnTableAndEndWithTheirTest() {
        assertEquals("passed", result("DeclaredSample#aSlowDependencyTripsTheAppsTimeoutButAPatientCallSucceeds()"));
        assertEquals("passed", result("DeclaredSample#aMethodFaultAddsToTheClasss()"));
        assertTrue(result("DeclaredSample#aMalformedFaultFailsTheTest()").startsWith(
                "IllegalArgumentException: @Fault: fault '127.0.0.1->lag': unknown type 'lag'"),
                result("DeclaredSample#aMalformedFaultFailsTheTest()"));
        assertEquals("passed", result("ProgrammaticSample#anOutageInTheMiddleOfAFlowAndItsEnd(FaultInjection)"));
        assertEquals("passed", result("ProgrammaticSample#theFaultsOfTheTestBeforeAreGone()"));
    }

    @Test
    void theExtensionUsesTheAgentsRoutingInsteadOfStartingASecondServer() {
        // the agent's copy of the shared selector is the one from its jar, relocated under dev.socksbridge.shaded
        assertTrue(selector.startsWith("dev.socksbridge.shaded."), selector);
    }

    @Test
    void anUndeclaredConnectionFailsTheTestWithTheAgentsCallerAndThread() {
        String failure = result("UnexpectedSample#callsEcho()");
        assertTrue(failure.startsWith("AssertionError: " + Samples.UnexpectedSample.class.getName()
                + "#callsEcho() made 1 unexpected outbound connection:"), failure);
        assertTrue(failure.contains(" localhost:" + echoPort + " -> 127.0.0.1:" + echoPort + " ok up=4B down=4B "), failure);
        assertTrue(failure.contains(" caller=" + Clients.class.getName() + ".echo(Clients.java:"), failure);
        assertTrue(failure.contains(" thread=main"), failure);
    }

    @Test
    void executorAndVirtualThreadConnectionsBelongToTheRunningTest() {
        String pool = result("ExecutorSample#connectsOnAPoolThread()");
        assertTrue(pool.contains("#connectsOnAPoolThread() made 1 unexpected") && pool.contains(" thread=sample-pool"), pool);
        assertEquals("passed", result("ExecutorSample#connectsNowhere(RecordedConnections)"));
        String virtual = result("VirtualThreadSample#connectsOnAVirtualThread()");
        if (Runtime.version().feature() >= 21) {
            assertTrue(virtual.contains("made 1 unexpected") && virtual.contains(" (virtual)"), virtual);
        } else {
            assertTrue(virtual.contains("NoSuchMethodException"), "JDK 17 has no virtual threads: " + virtual);
        }
    }

    @Test
    void theInjectedRecordingHasTheCallerLineBytesAndNameFromTheAgent() {
        for (String test : List.of("ParameterSample#seesItsOwnConnection(RecordedConnections)",
                "HttpSample#callsAnHttpServerByName()", "LoopbackExcludedSample#callsEchoDirectly(RecordedConnections)",
                "RecordOnlySample#recordsWithoutFailing()")) {
            assertEquals("passed", result(test), test);
        }
    }

    @Test
    void routesOfTheRunningTestAreAppliedByTheAgentsProxy() {
        for (String test : List.of("StandInSample#declarativeRouteReachesTheStandIn(RecordedConnections)",
                "StandInSample#programmaticRouteForThisTestOnly()", "StandInSample#theProgrammaticRouteEndedWithItsTest()",
                "BlockSample#blockedEvenWithoutAPolicy()")) {
            assertEquals("passed", result(test), test);
        }
    }
}
