package dev.socksbridge.junit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The extension's configuration of the shared caller finder ({@link PendingCalls#CALLERS}). */
class CallerFinderTest {

    @Test
    void skipsTheJdkJunitAndSocksbridgeButNotCodeBelowTheExtensionsPackage() {
        assertTrue(PendingCalls.CALLERS.isSkipped("java.net.Socket"));
        assertTrue(PendingCalls.CALLERS.isSkipped("sun.net.www.protocol.http.HttpURLConnection"));
        assertTrue(PendingCalls.CALLERS.isSkipped("jdk.internal.reflect.DirectMethodHandleAccessor"));
        assertTrue(PendingCalls.CALLERS.isSkipped("org.junit.platform.commons.util.ReflectionUtils"));
        assertTrue(PendingCalls.CALLERS.isSkipped("dev.socksbridge.proxy.Dialer"));
        assertTrue(PendingCalls.CALLERS.isSkipped("dev.socksbridge.junit.InProcessCapture"));
        assertFalse(PendingCalls.CALLERS.isSkipped("dev.socksbridge.junit.it.SomeIT"));
        assertFalse(PendingCalls.CALLERS.isSkipped("com.acme.Billing"));
    }
}
