package dev.socksbridge.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DialFailuresTest {

    private static final StackTraceElement[] APP_STACK = {
        new StackTraceElement("com.acme.Billing", "charge", "Billing.java", 88)};

    @Test
    void aCopyHasTheDialFailuresJdkTypeAndMessageAndTheAppsStack() {
        for (IOException dial : List.of(new ConnectException("Connection refused"),
                new NoRouteToHostException("No route to host"), new SocketException("Network is unreachable"),
                new SocketTimeoutException("Connect timed out"), new UnknownHostException("nohost.invalid"))) {
            IOException copy = DialFailures.copy(dial, APP_STACK);
            assertNotSame(dial, copy);
            assertEquals(dial.getClass(), copy.getClass());
            assertEquals(dial.getMessage(), copy.getMessage());
            assertArrayEquals(APP_STACK, copy.getStackTrace());
        }
    }

    @Test
    void aTypeTheJdksConnectDoesNotThrowIsNotCopied() {
        assertNull(DialFailures.copy(new IOException("hop 1 of 1 failed"), APP_STACK));
        assertNull(DialFailures.copy(new ConnectException("x") { }, APP_STACK), "a subclass is not the JDK's type");
    }

    @Test
    void aRecordedFailureIsTakenOnceForItsTagOnly() {
        CallerTag tag = new CallerTag(null, null, null, -1, "main", false, "h", 1, 0, 0);
        CallerTag equalButOther = new CallerTag(null, null, null, -1, "main", false, "h", 1, 0, 0);
        ConnectException refused = new ConnectException("Connection refused");
        DialFailures.record(tag, refused);
        assertNull(DialFailures.take(equalButOther), "kept by identity: another connect's equal tag");
        assertEquals(refused, DialFailures.take(tag));
        assertNull(DialFailures.take(tag));
    }
}
