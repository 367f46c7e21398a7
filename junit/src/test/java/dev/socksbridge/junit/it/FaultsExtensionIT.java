package dev.socksbridge.junit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
        Map<String, String> results = ExtensionIT.results(FaultSamples.DeclaredSample.class);
        assertEquals("passed", results.get("aSlowDependencyTripsTheAppsTimeoutButAPatientCallSucceeds()"), results.toString());
        assertEquals("passed", results.get("aMethodFaultAddsToTheClasss()"), results.toString());
        assertEquals("IllegalArgumentException: @Fault: fault '127.0.0.1->lag': unknown type 'lag' (expected one of: "
                + "latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, connect_delay, refuse)",
                results.get("aMalformedFaultFailsTheTest()"));
    }

    @Test
    void aTestBreaksAndHealsADependencyAndItsFaultsEndWithIt() {
        Map<String, String> results = ExtensionIT.results(FaultSamples.ProgrammaticSample.class);
        assertEquals(Map.of("anOutageInTheMiddleOfAFlowAndItsEnd(FaultInjection)", "passed",
                "theFaultsOfTheTestBeforeAreGone()", "passed"), results);
    }
}
