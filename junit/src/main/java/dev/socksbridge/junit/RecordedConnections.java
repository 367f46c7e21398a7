package dev.socksbridge.junit;

import dev.socksbridge.proxy.HostPattern;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The outbound connections recorded during one test, from its {@code @BeforeEach} to its
 * {@code @AfterEach}: inject it as a test method parameter, or call {@link #current()}.
 *
 * <p>Connections made on other threads while the test runs (executors, virtual threads, HTTP client
 * pools) belong to the test as well. With tests running in parallel, a connection made on a thread that
 * is not itself running a test is given to every test running at that moment (see docs/junit.md).
 *
 * <p>Patterns in the assertion helpers use the {@link AllowOutbound} syntax.
 */
public final class RecordedConnections {

    private final String testName;
    private final Thread testThread;
    private final boolean includeLoopback;
    private final Instant begin;
    private volatile Instant end;
    private final Map<Long, RecordedConnection> connections = new LinkedHashMap<>();

    RecordedConnections(String testName, Thread testThread, boolean includeLoopback, Instant begin) {
        this.testName = testName;
        this.testThread = testThread;
        this.includeLoopback = includeLoopback;
        this.begin = begin;
    }

    /**
     * The connections of the test running on this thread; from another thread, of the only test running.
     *
     * @throws IllegalStateException when no {@link Socksbridge} test is running, or several are and this
     *                               thread runs none of them
     */
    public static RecordedConnections current() {
        return ConnectionRecorder.INSTANCE.current();
    }

    /** {@code com.acme.BillingTest#charges()}. */
    public String testName() {
        return testName;
    }

    /** Every connection so far, oldest first. */
    public synchronized List<RecordedConnection> all() {
        return List.copyOf(connections.values());
    }

    /** The connections whose destination matches {@code pattern} ({@link AllowOutbound} syntax). */
    public List<RecordedConnection> to(String pattern) {
        HostPattern parsed = pattern(pattern);
        return all().stream().filter(c -> matches(parsed, c)).collect(Collectors.toList());
    }

    /**
     * Waits until every recorded connection has closed, at most {@code timeout}, and returns them all.
     * Useful before asserting on outcomes or byte counts of connections that may still be closing.
     */
    public List<RecordedConnection> awaitClosed(Duration timeout) throws InterruptedException {
        return awaitClosed(connection -> true, timeout);
    }

    /** Waits until no connection that {@code which} selects is open, at most {@code timeout}. */
    synchronized List<RecordedConnection> awaitClosed(Predicate<RecordedConnection> which, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (connections.values().stream().anyMatch(c -> c.isOpen() && which.test(c))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(connections.values());
    }

    /** Fails unless every connection matches at least one of {@code patterns}. */
    public RecordedConnections assertNoneExcept(String... patterns) {
        List<RecordedConnection> unexpected = unexpected(patterns(Arrays.asList(patterns)));
        if (!unexpected.isEmpty()) {
            throw new AssertionError(describe(unexpected.size() + " connection(s) to destinations other than "
                    + Arrays.toString(patterns), unexpected));
        }
        return this;
    }

    /** Fails unless exactly one connection matches {@code pattern}; returns it. */
    public RecordedConnection assertExactlyOne(String pattern) {
        List<RecordedConnection> matching = to(pattern);
        if (matching.size() != 1) {
            throw new AssertionError(describe("expected exactly one connection to " + pattern + " but found "
                    + matching.size(), matching.isEmpty() ? all() : matching));
        }
        return matching.get(0);
    }

    /** Fails if any connection matches {@code pattern}. */
    public RecordedConnections assertNone(String pattern) {
        List<RecordedConnection> matching = to(pattern);
        if (!matching.isEmpty()) {
            throw new AssertionError(describe("expected no connection to " + pattern + " but found "
                    + matching.size(), matching));
        }
        return this;
    }

    /** Connections that match none of {@code allowed}, oldest first. */
    List<RecordedConnection> unexpected(List<HostPattern> allowed) {
        return all().stream().filter(c -> isUnexpected(c, allowed)).collect(Collectors.toList());
    }

    static boolean isUnexpected(RecordedConnection connection, List<HostPattern> allowed) {
        return allowed.stream().noneMatch(p -> matches(p, connection));
    }

    /** An {@link AllowOutbound} entry; a malformed one fails naming the annotation, the entry and the forms. */
    static HostPattern pattern(String entry) {
        try {
            return HostPattern.parse(entry);
        } catch (IllegalArgumentException e) {
            // HostPattern's message starts with the entry in single quotes; show it the way it is written here
            String quoted = "'" + entry + "'";
            String problem = e.getMessage().startsWith(quoted) ? e.getMessage().substring(quoted.length())
                    : " (" + e.getMessage() + ")";
            throw new IllegalArgumentException("@AllowOutbound: \"" + entry + "\"" + problem, e);
        }
    }

    static List<HostPattern> patterns(List<String> entries) {
        return entries.stream().map(RecordedConnections::pattern).collect(Collectors.toList());
    }

    /**
     * Whether {@code pattern} names the connection: as the code named it, as it reached socksbridge, or the
     * address reached. Here a pattern that matches the name {@code localhost} matches every loopback address.
     */
    static boolean matches(HostPattern pattern, RecordedConnection connection) {
        int port = connection.destination().port();
        InetSocketAddress reached = connection.reached();
        return matches(pattern, connection.destination().host(), port)
                || matches(pattern, connection.requested().host(), port)
                || reached != null && reached.getAddress() != null
                && matches(pattern, reached.getAddress().getHostAddress(), port);
    }

    private static boolean matches(HostPattern pattern, String host, int port) {
        return pattern.matches(host, port) || IpLiterals.isLoopback(host) && pattern.matches("localhost", port);
    }

    String describe(String headline, List<RecordedConnection> listed) {
        StringBuilder text = new StringBuilder(testName).append(": ").append(headline);
        if (listed.isEmpty()) {
            text.append(" (no connection was recorded)");
        }
        for (RecordedConnection connection : listed) {
            text.append(System.lineSeparator()).append("  ").append(connection);
        }
        return text.toString();
    }

    Thread testThread() {
        return testThread;
    }

    boolean wants(RecordedConnection connection) {
        return includeLoopback || !isLoopback(connection);
    }

    void markEnded(Instant when) {
        end = when;
    }

    /** Whether {@code start} lies between this test's begin and its end (or now, while it runs). */
    boolean windowContains(Instant start) {
        Instant until = end;
        return !start.isBefore(begin) && (until == null || !start.isAfter(until));
    }

    synchronized void add(long key, RecordedConnection connection) {
        connections.putIfAbsent(key, connection);
        notifyAll();
    }

    synchronized void close(long key, RecordedConnection close) {
        connections.computeIfPresent(key, (k, open) -> open.closedAs(close));
        notifyAll();
    }

    static boolean isLoopback(RecordedConnection connection) {
        Predicate<String> loopback = IpLiterals::isLoopback;
        return loopback.test(connection.destination().host()) || loopback.test(connection.requested().host())
                || connection.reached() != null && connection.reached().getAddress() != null
                && connection.reached().getAddress().isLoopbackAddress();
    }

    @Override
    public synchronized String toString() {
        return describe(connections.size() + " connection(s)", new ArrayList<>(connections.values()));
    }
}
