package dev.socksbridge.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.socksbridge.proxy.Destination;
import org.junit.jupiter.api.Test;

class PendingCallsTest {

    private final PendingCalls calls = new PendingCalls();

    private PendingCalls.PendingCall call(String host, int port, String method) {
        return new PendingCalls.PendingCall(host, port, new CallSite("com.acme.Client", method, "Client.java", 1),
                Thread.currentThread(), System.nanoTime());
    }

    @Test
    void joinsTheOldestCallForTheSameDestination() {
        PendingCalls.PendingCall first = call("db.internal", 5432, "first");
        PendingCalls.PendingCall second = call("db.internal", 5432, "second");
        calls.add(first);
        calls.add(call("cache.internal", 6379, "other"));
        calls.add(second);

        assertSame(first, calls.claim(new Destination("db.internal", 5432)));
        assertSame(second, calls.claim(new Destination("DB.internal", 5432)));
        assertNull(calls.claim(new Destination("db.internal", 5432)));
        assertEquals(1, calls.size());
    }

    @Test
    void joinsANameTheJdkResolvedBeforeConnecting() {
        PendingCalls.PendingCall byName = call("localhost", 8080, "byName");
        calls.add(call("localhost", 9090, "otherPort"));
        calls.add(byName);

        assertSame(byName, calls.claim(new Destination("127.0.0.1", 8080)));
    }

    @Test
    void prefersTheExactHostOverAResolvedName() {
        PendingCalls.PendingCall byName = call("localhost", 8080, "byName");
        PendingCalls.PendingCall byAddress = call("127.0.0.1", 8080, "byAddress");
        calls.add(byName);
        calls.add(byAddress);

        assertSame(byAddress, calls.claim(new Destination("127.0.0.1", 8080)));
        assertSame(byName, calls.claim(new Destination("127.0.0.1", 8080)));
    }

    @Test
    void joinsIpv6LiteralsWrittenDifferently() {
        PendingCalls.PendingCall call = call("::1", 8080, "v6");
        calls.add(call);
        assertSame(call, calls.claim(new Destination("0:0:0:0:0:0:0:1", 8080)));
    }

    @Test
    void aCallNeverFollowedByAConnectionExpiresInsteadOfLendingItsCallerLater() {
        long longAgo = System.nanoTime() - 11_000_000_000L;
        calls.add(new PendingCalls.PendingCall("db.internal", 5432, CallSite.UNKNOWN, Thread.currentThread(), longAgo));
        assertNull(calls.claim(new Destination("db.internal", 5432)));
        assertEquals(0, calls.size());
    }

    @Test
    void leavesCallsForOtherDestinationsAlone() {
        calls.add(call("localhost", 8080, "a"));
        assertNull(calls.claim(new Destination("10.1.1.1", 8080)));
        assertNull(calls.claim(new Destination("localhost", 8081)));
        assertEquals(1, calls.size());
    }
}
