package dev.socksbridge.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordedConnectionsTest {

    private final RecordedConnections recorded =
            new RecordedConnections("com.acme.BillingTest#charges()", Thread.currentThread(), true, Instant.now());

    private void add(long key, String host, int port) {
        recorded.add(key, Connections.to(host, port));
    }

    @Test
    void assertExactlyOneReturnsTheMatchOrListsWhatWasFound() {
        add(1, "api.example.com", 443);
        add(2, "db.internal", 5432);
        add(3, "db.internal", 5432);

        assertSame(recorded.all().get(0), recorded.assertExactlyOne("api.example.com:443"));
        AssertionError twice = assertThrows(AssertionError.class, () -> recorded.assertExactlyOne("*.internal"));
        assertTrue(twice.getMessage().startsWith(
                "com.acme.BillingTest#charges(): expected exactly one connection to *.internal but found 2"),
                twice.getMessage());
        assertTrue(twice.getMessage().contains("db.internal:5432"), twice.getMessage());
        AssertionError none = assertThrows(AssertionError.class, () -> recorded.assertExactlyOne("cache:6379"));
        assertTrue(none.getMessage().contains("but found 0"), none.getMessage());
        assertTrue(none.getMessage().contains("api.example.com:443"), "lists what was recorded: " + none.getMessage());
    }

    @Test
    void assertNoneExceptListsEachOffenderWithItsCaller() {
        add(1, "api.example.com", 443);
        add(2, "evil.example.com", 443);

        recorded.assertNoneExcept("*.example.com");
        AssertionError e = assertThrows(AssertionError.class, () -> recorded.assertNoneExcept("api.example.com:443"));
        assertTrue(e.getMessage().contains("evil.example.com:443"), e.getMessage());
        assertTrue(e.getMessage().contains("caller=com.acme.Billing.charge(Billing.java:88) thread=main"), e.getMessage());
        assertTrue(!e.getMessage().contains("#1 api.example.com"), "the allowed one is not listed: " + e.getMessage());
    }

    @Test
    void assertNoneFailsOnAMatch() {
        add(1, "api.example.com", 443);
        recorded.assertNone("db.internal");
        AssertionError e = assertThrows(AssertionError.class, () -> recorded.assertNone("*.example.com"));
        assertTrue(e.getMessage().contains("expected no connection to *.example.com but found 1"), e.getMessage());
    }

    @Test
    void awaitClosedReturnsOnceAnotherThreadReportsTheClose() throws Exception {
        RecordedConnection open = Connections.to("api.example.com", 443);
        RecordedConnection opened = new RecordedConnection(1, "proxy", open.destination(), open.requested(), null,
                Outcome.OPEN, -1, 0, 0, open.start(), null, open.caller(), "main", false, null);
        recorded.add(1, opened);
        Thread closer = new Thread(() -> recorded.close(1, open), "closer");
        closer.start();

        List<RecordedConnection> all = recorded.awaitClosed(Duration.ofSeconds(30));

        assertEquals(Outcome.OK, all.get(0).outcome());
        assertEquals(20, all.get(0).bytesDown());
        assertEquals("com.acme.Billing.charge(Billing.java:88)", all.get(0).caller().toString(), "kept from the open");
        closer.join(30_000);
    }

    @Test
    void awaitClosedGivesUpAfterItsTimeout() throws Exception {
        RecordedConnection open = Connections.to("api.example.com", 443);
        recorded.add(1, new RecordedConnection(1, "proxy", open.destination(), open.requested(), null, Outcome.OPEN,
                -1, 0, 0, open.start(), null, open.caller(), "main", false, null));
        assertEquals(Outcome.OPEN, recorded.awaitClosed(Duration.ofMillis(20)).get(0).outcome());
    }

    @Test
    void toFiltersByPattern() {
        add(1, "api.example.com", 443);
        add(2, "db.internal", 5432);
        assertEquals(1, recorded.to("db.internal").size());
        assertEquals(2, recorded.to("*").size());
    }
}
