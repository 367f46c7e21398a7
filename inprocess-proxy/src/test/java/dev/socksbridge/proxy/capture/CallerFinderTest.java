package dev.socksbridge.proxy.capture;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
}
