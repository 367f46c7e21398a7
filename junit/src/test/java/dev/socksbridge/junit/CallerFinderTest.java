package dev.socksbridge.junit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CallerFinderTest {

    @Test
    void skipsTheJdkJunitAndSocksbridgeButNotCodeBelowTheExtensionsPackage() {
        assertTrue(CallerFinder.isSkipped("java.net.Socket"));
        assertTrue(CallerFinder.isSkipped("sun.net.www.protocol.http.HttpURLConnection"));
        assertTrue(CallerFinder.isSkipped("jdk.internal.reflect.DirectMethodHandleAccessor"));
        assertTrue(CallerFinder.isSkipped("org.junit.platform.commons.util.ReflectionUtils"));
        assertTrue(CallerFinder.isSkipped("dev.socksbridge.proxy.Dialer"));
        assertTrue(CallerFinder.isSkipped("dev.socksbridge.junit.RoutingProxySelector"));
        assertFalse(CallerFinder.isSkipped("dev.socksbridge.junit.it.SomeIT"));
        assertFalse(CallerFinder.isSkipped("com.acme.Billing"));
    }
}
