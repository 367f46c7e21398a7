package dev.socksbridge.junit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.sun.net.httpserver.HttpServer;
import dev.socksbridge.proxy.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs the {@link Samples} through the real JUnit Jupiter engine (EngineTestKit) with real loopback
 * sockets through the in-process SOCKS5 server, and checks which tests pass, which fail, and why.
 */
class ExtensionIT {

    private static EchoServer echo;
    private static HttpServer http;

    @BeforeAll
    static void startServers() throws IOException {
        echo = new EchoServer();
        Samples.echo = echo;
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = "hi".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        Samples.httpUrl = "http://localhost:" + http.getAddress().getPort() + "/";
    }

    @AfterAll
    static void stopServers() throws IOException {
        http.stop(0);
        echo.close();
    }

    /** Display name (e.g. {@code callsEcho()}) to the failure message, or to "passed". */
    static Map<String, String> results(Class<?> sample) {
        return results(EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)));
    }

    private static Map<String, String> results(EngineTestKit.Builder engine) {
        Events events = engine.execute().testEvents();
        return events.finished().stream().collect(Collectors.toMap(
                e -> e.getTestDescriptor().getDisplayName(), ExtensionIT::resultOf));
    }

    private static String resultOf(Event finished) {
        TestExecutionResult result = finished.getRequiredPayload(TestExecutionResult.class);
        if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
            return "passed";
        }
        Throwable failure = result.getThrowable().orElseThrow();
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private static void assertPassed(Map<String, String> results, String test) {
        assertEquals("passed", results.get(test), () -> test + " in " + results);
    }

    private static String assertFailed(Map<String, String> results, String test) {
        String result = results.get(test);
        assertNotNull(result, () -> test + " did not run: " + results);
        assertTrue(!result.equals("passed"), () -> test + " passed, expected it to fail");
        return result;
    }

    @Test
    void aTestThatCallsOnlyAllowedDestinationsPasses() {
        assertPassed(results(Samples.AllowedSample.class), "callsLocalhost()");
    }

    @Test
    void aTestThatCallsAnUndeclaredDestinationFailsListingItItsCallerAndTheTest() {
        String failure = assertFailed(results(Samples.UnexpectedSample.class), "callsEcho()");
        String nl = System.lineSeparator();
        assertTrue(failure.startsWith("AssertionError: " + Samples.UnexpectedSample.class.getName()
                + "#callsEcho() made 1 unexpected outbound connection:" + nl + "  #"), failure);
        // InetAddress.getLoopbackAddress() carries the name "localhost": the code's own name for the destination.
        assertTrue(failure.contains(" localhost:" + echo.port() + " -> 127.0.0.1:" + echo.port() + " ok up=4B down=4B "),
                failure);
        assertTrue(failure.contains(" caller=" + Clients.class.getName() + ".echo(Clients.java:"), failure);
        assertTrue(failure.contains(" thread=" + Thread.currentThread().getName()), failure);
        assertTrue(failure.contains(nl + "Allowed: [api.example.com:443]. Declare a destination with @AllowOutbound"),
                failure);
    }

    @Test
    void aMethodsAllowOutboundAddsToItsClasses() {
        Map<String, String> results = results(Samples.MethodAddsToClassSample.class);
        assertPassed(results, "allowedByTheMethod()");
        String failure = assertFailed(results, "notAllowedWithoutIt()");
        assertTrue(failure.contains("#notAllowedWithoutIt() made 1 unexpected"), failure);
        assertTrue(failure.contains("Allowed: [api.example.com:443]."), failure);
        assertPassed(results, "methodAttributesWin(RecordedConnections)");
    }

    @Test
    void aNestedClassAddsItsAllowOutboundToItsEnclosingClasses() {
        Map<String, String> results = results(Samples.OuterSample.class);
        assertPassed(results, "usesTheInnerAndOuterAllowLists(RecordedConnections)");
        assertTrue(assertFailed(results, "outerAloneDoesNotAllowLocalhost()").contains("made 1 unexpected"), results::toString);
    }

    @Test
    void aConnectionMadeOnAnExecutorThreadBelongsToTheRunningTestOnly() {
        Map<String, String> results = results(Samples.ExecutorSample.class);
        String failure = assertFailed(results, "connectsOnAPoolThread()");
        assertTrue(failure.contains("#connectsOnAPoolThread() made 1 unexpected outbound connection"), failure);
        assertTrue(failure.contains(" thread=sample-pool"), failure);
        assertTrue(failure.contains(" caller=" + Clients.class.getName() + ".echo(Clients.java:"), failure);
        assertPassed(results, "connectsNowhere(RecordedConnections)");
    }

    @Test
    void aConnectionMadeOnAVirtualThreadBelongsToTheRunningTest() {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+, this is " + Runtime.version());
        String failure = assertFailed(results(Samples.VirtualThreadSample.class), "connectsOnAVirtualThread()");
        assertTrue(failure.contains("#connectsOnAVirtualThread() made 1 unexpected outbound connection"), failure);
        assertTrue(failure.contains(" (virtual)"), failure);
    }

    @Test
    void anInjectedRecordingHoldsTheCallersDestinationBytesAndLine() {
        assertPassed(results(Samples.ParameterSample.class), "seesItsOwnConnection(RecordedConnections)");
    }

    @Test
    void httpUrlConnectionIsRecordedWithTheNameTheCodeUsed() {
        assertPassed(results(Samples.HttpSample.class), "callsAnHttpServerByName()");
    }

    @Test
    void withoutIncludeLoopbackLocalTrafficIsNeitherRoutedNorRecorded() {
        assertPassed(results(Samples.LoopbackExcludedSample.class), "callsEchoDirectly(RecordedConnections)");
    }

    @Test
    void withParallelExecutionEachTestGetsItsOwnThreadsConnectionsAndAllGetOtherThreads() {
        Map<String, String> results = results(EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(Samples.ParallelSample.class))
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2"));
        assertPassed(results, "first(RecordedConnections)");
        assertPassed(results, "second(RecordedConnections)");
    }

    @Test
    void failOnUnexpectedFalseOnlyRecords() {
        Samples.seen = null;
        assertPassed(results(Samples.RecordOnlySample.class), "recordsWithoutFailing()");
        assertEquals(1, Samples.seen.size(), Samples.seen::toString);
        assertEquals(Outcome.OK, Samples.seen.get(0).outcome());
        assertEquals(echo.port(), Samples.seen.get(0).destination().port());
    }

    @Test
    void aMalformedAllowOutboundEntryFailsTheTestNamingIt() {
        String failure = assertFailed(results(Samples.MalformedAllowSample.class), "neverRuns()");
        assertTrue(failure.contains("@AllowOutbound: \"localhost:http\" (port \"http\" is not * or 1-65535"), failure);
    }

    @Test
    void thePreviousProxySelectorAndSocksPropertiesAreRestored() {
        ProxySelector original = ProxySelector.getDefault();
        ProxySelector marker = new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            }
        };
        ProxySelector.setDefault(marker);
        System.setProperty("socksProxyPort", "1");
        System.clearProperty("socksProxyHost");
        try {
            Samples.selectorDuringTest = null;
            assertPassed(results(Samples.RecordOnlySample.class), "recordsWithoutFailing()");
            assertNotNull(Samples.selectorDuringTest);
            assertNotSame(marker, Samples.selectorDuringTest, "routed through the in-process server during the test");

            assertSame(marker, ProxySelector.getDefault());
            assertEquals("1", System.getProperty("socksProxyPort"));
            assertEquals(null, System.getProperty("socksProxyHost"));
        } finally {
            ProxySelector.setDefault(original);
            System.clearProperty("socksProxyPort");
        }
    }

    @Test
    void onAMethodTheExtensionCoversThatTestOnly() {
        ProxySelector before = ProxySelector.getDefault();
        Map<String, String> results = results(Samples.MethodLevelSample.class);
        String failure = assertFailed(results, "annotatedMethod()");
        assertTrue(failure.contains("#annotatedMethod() made 1 unexpected outbound connection"), failure);
        assertPassed(results, "plainMethod()");
        assertSame(before, ProxySelector.getDefault());
    }
}
