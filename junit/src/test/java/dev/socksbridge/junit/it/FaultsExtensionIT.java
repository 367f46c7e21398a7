package dev.socksbridge.junit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** {@code @Fault} and {@code FaultInjection} through the real JUnit engine, with the in-process server. */
class FaultsExtensionIT {

    private static EchoServer echo;

    @BeforeAll
    static void startEcho() throws IOException {
        echo = new EchoServer();
        Samples.echo = echo;
    }

    @AfterAll
    static void stopEcho() throws IOException {
        echo.close();
    }

    @Test
    void declaredFaultsApplyPerClassAndMethodAndAMalformedOneFailsItsTest() {
        Map<String, String> results = results(FaultSamples.DeclaredSample.class);
        assertEquals("passed", results.get("aSlowDependencyTripsTheAppsTimeoutButAPatientCallSucceeds()"), results.toString());
        assertEquals("passed", results.get("aMethodFaultAddsToTheClasss()"), results.toString());
        assertEquals("IllegalArgumentException: @Fault: fault '127.0.0.1->lag': unknown type 'lag' (expected one of: "
                + "latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, connect_delay, refuse)",
                results.get("aMalformedFaultFailsTheTest()"));
    }

    @Test
    void aTestBreaksAndHealsADependencyAndItsFaultsEndWithIt() {
        Map<String, String> results = results(FaultSamples.ProgrammaticSample.class);
        assertEquals(Map.of("anOutageInTheMiddleOfAFlowAndItsEnd(FaultInjection)", "passed",
                "theFaultsOfTheTestBeforeAreGone()", "passed"), results);
    }

    static Map<String, String> results(Class<?> sample) {
        Map<String, String> results = new TreeMap<>();
        for (Event e : EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute().testEvents()
                .finished().list()) {
            results.put(e.getTestDescriptor().getDisplayName(), resultOf(e));
        }
        return results;
    }

    private static String resultOf(Event finished) {
        TestExecutionResult result = finished.getRequiredPayload(TestExecutionResult.class);
        if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
            return "passed";
        }
        Throwable failure = result.getThrowable().orElseThrow();
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
