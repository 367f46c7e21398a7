package dev.socksbridge.junit;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Gives each recorded connection to the tests it belongs to: to the test whose own thread made it, else
 * (executor threads, virtual threads, pools) to every test running when it was made — with sequential
 * execution, exactly the one. Connections are keyed by the source's session key so that the close of
 * a connection updates the tests its open went to, even after they ended.
 */
final class ConnectionRecorder {

    static final ConnectionRecorder INSTANCE = new ConnectionRecorder();

    /** Ended tests kept for connections reported only once finished, whose start falls in their window. */
    private static final int RECENT_TESTS = 32;

    private final List<RecordedConnections> running = new ArrayList<>();
    private final Deque<RecordedConnections> recent = new ArrayDeque<>();
    private final Map<Long, List<RecordedConnections>> openConnections = new ConcurrentHashMap<>();

    synchronized void begin(RecordedConnections test) {
        running.add(test);
    }

    synchronized void end(RecordedConnections test) {
        test.markEnded(Instant.now());
        running.remove(test);
        recent.addLast(test);
        if (recent.size() > RECENT_TESTS) {
            recent.removeFirst();
        }
    }

    /**
     * A connection seen when it was made (its outcome may still be {@link dev.socksbridge.proxy.Outcome#OPEN}).
     *
     * @param key    the source's id for the connection, the same in its later {@link #closed} call
     * @param thread the connecting thread when known, else {@code null} (its name is compared then)
     */
    void opened(long key, RecordedConnection connection, Thread thread) {
        List<RecordedConnections> owners = ownersOf(connection, thread, false);
        if (connection.isOpen()) {
            openConnections.put(key, owners);
        }
        owners.forEach(test -> test.add(key, connection));
    }

    /** A connection that finished; one never seen open goes to the tests whose window contains its start. */
    void closed(long key, RecordedConnection close, Thread thread) {
        List<RecordedConnections> owners = openConnections.remove(key);
        if (owners == null) {
            ownersOf(close, thread, true).forEach(test -> test.add(key, close));
            return;
        }
        owners.forEach(test -> test.close(key, close));
    }

    private synchronized List<RecordedConnections> ownersOf(RecordedConnection connection, Thread thread,
                                                            boolean byStartTime) {
        List<RecordedConnections> candidates = new ArrayList<>(running);
        if (byStartTime) {
            candidates.addAll(recent);
            candidates.removeIf(test -> !test.windowContains(connection.start()));
        }
        candidates.removeIf(test -> !test.wants(connection));
        List<RecordedConnections> byThread = candidates.stream()
                .filter(test -> thread != null ? test.testThread() == thread
                        : test.testThread().getName().equals(connection.threadName()))
                .collect(Collectors.toList());
        return byThread.isEmpty() ? candidates : byThread;
    }

    synchronized RecordedConnections current() {
        Thread self = Thread.currentThread();
        for (RecordedConnections test : running) {
            if (test.testThread() == self) {
                return test;
            }
        }
        if (running.size() == 1) {
            return running.get(0);
        }
        throw new IllegalStateException("RecordedConnections.current(): " + (running.isEmpty()
                ? "no @Socksbridge test is running"
                : running.size() + " @Socksbridge tests are running and thread \"" + self.getName()
                        + "\" runs none of them; inject RecordedConnections as a test method parameter instead"));
    }
}
