package dev.socksbridge.junit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** {@code @Route} and {@code TestRoutes.add} through the real engine, with the extension's own server. */
class RouteExtensionIT {

    private static EchoServer standIn;

    @BeforeAll
    static void startStandIn() throws IOException {
        standIn = new EchoServer();
        Samples.echo = standIn;
    }

    @AfterAll
    static void stopStandIn() throws IOException {
        standIn.close();
    }

    private static Map<String, String> results(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute().testEvents().finished()
                .stream().collect(Collectors.toMap(e -> e.getTestDescriptor().getDisplayName(), RouteExtensionIT::resultOf));
    }

    private static String resultOf(Event finished) {
        TestExecutionResult result = finished.getRequiredPayload(TestExecutionResult.class);
        if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
            return "passed";
        }
        Throwable failure = result.getThrowable().orElseThrow();
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    @Test
    void declarativeAndProgrammaticRoutesSendANameToAStandInForTheirTestOnly() {
        Map<String, String> results = results(RouteSamples.StandInSample.class);
        assertEquals("passed", results.get("declarativeRouteReachesTheStandIn(RecordedConnections)"), results::toString);
        assertEquals("passed", results.get("programmaticRouteForThisTestOnly()"), results::toString);
        assertEquals("passed", results.get("theProgrammaticRouteEndedWithItsTest()"), results::toString);
    }

    @Test
    void anUnknownPlaceholderFailsTheTestNamingIt() {
        String result = results(RouteSamples.BadPlaceholderSample.class).get("failsNamingThePlaceholder()");
        assertTrue(result.contains("${noSuchPort} (expected: a field or no-arg method of "), result);
    }

    @Test
    void blockRefusesTheConnection() {
        Map<String, String> results = results(RouteSamples.BlockSample.class);
        assertEquals("passed", results.get("blockedEvenWithoutAPolicy()"), results::toString);
    }
}
