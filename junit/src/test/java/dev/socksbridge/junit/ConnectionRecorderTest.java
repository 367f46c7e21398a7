package dev.socksbridge.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Outcome;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConnectionRecorderTest {

    private final ConnectionRecorder recorder = new ConnectionRecorder();

    private static RecordedConnection connection(long id, String threadName, Outcome outcome, Instant start) {
        return new RecordedConnection(id, "proxy", new Destination("api.example.com", 443),
                new Destination("api.example.com", 443), null, outcome, -1, 1, 2, start,
                outcome == Outcome.OPEN ? null : Duration.ofMillis(5), CallSite.UNKNOWN, threadName, false, null);
    }

    @Test
    void aConnectionFromATestsOwnThreadGoesToThatTestOnly() throws Exception {
        Thread other = new Thread(() -> { }, "other-test-thread");
        RecordedConnections mine = new RecordedConnections("A#mine()", Thread.currentThread(), false, Instant.now());
        RecordedConnections theirs = new RecordedConnections("B#theirs()", other, false, Instant.now());
        recorder.begin(mine);
        recorder.begin(theirs);

        recorder.opened(1, connection(1, Thread.currentThread().getName(), Outcome.OPEN, Instant.now()),
                Thread.currentThread());

        assertEquals(1, mine.all().size());
        assertEquals(0, theirs.all().size());
        assertEquals(mine, recorder.current());
    }

    @Test
    void aConnectionFromAnyOtherThreadGoesToEveryRunningTest() {
        RecordedConnections a = new RecordedConnections("A#a()", new Thread(() -> { }, "a"), false, Instant.now());
        RecordedConnections b = new RecordedConnections("B#b()", new Thread(() -> { }, "b"), false, Instant.now());
        recorder.begin(a);
        recorder.begin(b);

        recorder.opened(1, connection(1, "pool-1-thread-1", Outcome.OPEN, Instant.now()), new Thread(() -> { }));

        assertEquals(1, a.all().size());
        assertEquals(1, b.all().size());
        IllegalStateException e = assertThrows(IllegalStateException.class, recorder::current);
        assertTrue(e.getMessage().contains("inject RecordedConnections"), e.getMessage());
    }

    @Test
    void aCloseUpdatesTheTestTheOpenWentToEvenAfterItEnded() {
        RecordedConnections test = new RecordedConnections("A#a()", Thread.currentThread(), false, Instant.now());
        recorder.begin(test);
        recorder.opened(5, connection(5, "main", Outcome.OPEN, Instant.now()), null);
        recorder.end(test);

        recorder.closed(5, connection(5, "main", Outcome.REFUSED, Instant.now()), null);

        assertEquals(Outcome.REFUSED, test.all().get(0).outcome());
        assertEquals(Duration.ofMillis(5), test.all().get(0).duration());
    }

    @Test
    void aConnectionReportedOnlyWhenFinishedGoesToTheTestItStartedIn() {
        Instant before = Instant.now().minusSeconds(60);
        RecordedConnections ended = new RecordedConnections("A#ended()", new Thread(() -> { }, "x"), false,
                Instant.now().minusSeconds(10));
        recorder.begin(ended);
        recorder.end(ended);
        RecordedConnections running = new RecordedConnections("B#running()", new Thread(() -> { }, "y"), false,
                Instant.now());
        recorder.begin(running);

        recorder.closed(1, connection(1, "pool", Outcome.OK, Instant.now().minusSeconds(5)), null);
        recorder.closed(2, connection(2, "pool", Outcome.OK, Instant.now()), null);
        recorder.closed(3, connection(3, "pool", Outcome.OK, before), null);

        assertEquals(1, ended.all().size());
        assertEquals(1, ended.all().get(0).id());
        assertEquals(1, running.all().size());
        assertEquals(2, running.all().get(0).id());
    }

    @Test
    void aTestWithoutLoopbackIgnoresLoopbackConnections() {
        RecordedConnections test = new RecordedConnections("A#a()", Thread.currentThread(), false, Instant.now());
        recorder.begin(test);
        recorder.opened(1, Connections.to("localhost", "127.0.0.1", "127.0.0.1", 8080), null);
        assertEquals(0, test.all().size());
    }

    @Test
    void currentNeedsARunningTest() {
        IllegalStateException e = assertThrows(IllegalStateException.class, recorder::current);
        assertTrue(e.getMessage().contains("no @Socksbridge test is running"), e.getMessage());
    }
}
