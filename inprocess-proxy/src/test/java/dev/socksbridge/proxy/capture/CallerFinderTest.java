package dev.socksbridge.proxy.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallerFinderTest {

    private final CallerFinder finder = new CallerFinder(List.of("org.postgresql."));

    @ParameterizedTest
    @ValueSource(strings = {"java.net.Socket", "javax.net.ssl.SSLSocket", "jdk.internal.net.http.HttpClientImpl",
        "sun.nio.ch.SocketChannelImpl", "com.sun.net.httpserver.HttpServer", "dev.socksbridge.agent.bootstrap.Hooks",
        "dev.socksbridge.shaded.proxy.Dialer", "dev.socksbridge.proxy.capture.InProcessProxySelector",
        "dev.socksbridge.junit.InProcessCapture", "org.postgresql.core.PGStream"})
    void theJdkSocksbridgeAndTheGivenPrefixesAreNeverTheCaller(String className) {
        assertTrue(finder.isSkipped(className), className);
    }

    @ParameterizedTest
    @ValueSource(strings = {"com.acme.Billing", "dev.socksbridge.junit.it.SomeIT", "dev.socksbridge.demo.DemoMain",
        "org.junit.platform.commons.util.ReflectionUtils", "io.netty.bootstrap.Bootstrap"})
    void everythingElseIs(String className) {
        assertFalse(finder.isSkipped(className), className);
    }

    @Test
    void findsTheFirstFrameOutsideTheSkippedCode() {
        // this test's own frames are socksbridge's (dev.socksbridge.proxy.): the first other one is JUnit's
        String caller = finder.find().orElseThrow().getClassName();
        assertTrue(caller.startsWith("org.junit."), caller);
        assertFalse(new CallerFinder(List.of("org.junit.")).find().map(f -> f.getClassName().startsWith("org.junit."))
                .orElse(false), "a skipped prefix is passed over");
    }

    @Test
    void oneWalkFindsTheCallerTheAppFrameAndTheStackOutsideTheJdk() {
        // this test's frames are socksbridge's (skipped); JUnit's come next, then the launcher's
        CallerFinder.Frames found = new CallerFinder(List.of()).find(new String[] {"org.junit.jupiter.engine."}, 3);
        assertTrue(found.caller().getClassName().startsWith("org.junit."), found.toString());
        assertTrue(found.app().getClassName().startsWith("org.junit.jupiter.engine."), found.toString());
        assertEquals(3, found.stack().size(), found.toString());
        assertEquals(found.caller(), found.stack().get(0), "the stack starts at the first frame outside the JDK");
        assertTrue(found.stack().stream().noneMatch(f -> f.getClassName().startsWith("java.")
                || f.getClassName().startsWith("jdk.") || f.getClassName().startsWith("dev.socksbridge.")),
                found.toString());
    }

    @Test
    void withoutAppPackagesOrDepthOnlyTheCallerIsFound() {
        CallerFinder.Frames found = finder.find(new String[0], 0);
        assertEquals(finder.find().orElseThrow().getClassName(), found.caller().getClassName());
        assertNull(found.app());
        assertEquals(List.of(), found.stack());
        assertNull(finder.find(new String[] {"com.nowhere.invalid."}, 0).app(), "no such frame: none named");
    }
}
