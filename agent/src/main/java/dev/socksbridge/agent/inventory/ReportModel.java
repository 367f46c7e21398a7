package dev.socksbridge.agent.inventory;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the HTML report shows, gathered one event at a time so a long run needs memory per distinct
 * caller/destination pair, not per connection: the pairs ({@link Edge}) with counts and bytes, the name
 * lookups, and each event's start time and outcome for the timeline (the first {@link #TIMELINE_LIMIT}).
 */
public final class ReportModel {

    /** Events drawn on the timeline at most; later ones are counted and the page says so. */
    static final int TIMELINE_LIMIT = 1_000_000;
    /** Distinct values kept per edge or lookup (call sites, addresses, failure reasons). */
    static final int DETAIL_LIMIT = 20;

    static final int OK = 0;
    static final int FAILED = 1;
    static final int DENIED = 2;
    static final int LOOKUP = 3;

    /** One caller class to one destination (TCP, or UDP datagram totals). */
    static final class Edge {
        final String caller;
        final String destination;
        final String host;
        final boolean udp;
        long connections;
        long failed;
        long denied;
        long wouldDeny;
        long bytesUp;
        long bytesDown;
        long durationMillis;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        final Set<String> callSites = new TreeSet<>();
        final Set<String> reached = new TreeSet<>();
        final Map<String, Long> failures = new TreeMap<>();

        Edge(String caller, String destination, String host, boolean udp) {
            this.caller = caller;
            this.destination = destination;
            this.host = host;
            this.udp = udp;
        }
    }

    /** The lookups of one host name. */
    static final class Lookup {
        final String host;
        long count;
        long failed;
        long durationMillis;
        final Set<String> addresses = new TreeSet<>();
        final Set<String> callers = new TreeSet<>();

        Lookup(String host) {
            this.host = host;
        }
    }

    private final Map<String, Edge> edges = new LinkedHashMap<>();
    private final Map<String, Lookup> lookups = new TreeMap<>();
    private long[] starts = new long[1024];
    private byte[] statuses = new byte[1024];
    private int timelineSize;
    private long timelineDropped;
    private long events;
    private long skippedLines;

    public synchronized void add(EgressEvent event) {
        events++;
        int status;
        if (event.kind() == EgressEvent.Kind.LOOKUP) {
            addLookup(event);
            status = LOOKUP;
        } else {
            addEdge(event);
            status = event.denied() ? DENIED : event.ok() ? OK : FAILED;
        }
        addToTimeline(event.startMillis(), status);
    }

    private void addEdge(EgressEvent event) {
        boolean udp = event.kind() == EgressEvent.Kind.DATAGRAMS;
        String caller = event.callerName();
        String destination = event.destination();
        Edge edge = edges.computeIfAbsent(caller + " " + destination + (udp ? " udp" : ""),
                k -> new Edge(caller, destination, event.targetHost(), udp));
        edge.connections++;
        edge.bytesUp += Math.max(0, event.bytesUp());
        edge.bytesDown += Math.max(0, event.bytesDown());
        edge.durationMillis += Math.max(0, event.durationMillis());
        edge.first = Math.min(edge.first, event.startMillis());
        edge.last = Math.max(edge.last, event.startMillis());
        if (event.denied()) {
            edge.denied++;
        } else if (!event.ok()) {
            edge.failed++;
            if (edge.failures.size() < DETAIL_LIMIT || edge.failures.containsKey(event.outcome())) {
                edge.failures.merge(event.outcome(), 1L, Long::sum);
            }
        }
        if (event.wouldDeny()) {
            edge.wouldDeny++;
        }
        addLimited(edge.callSites, event.callSite());
        addLimited(edge.reached, event.resolved());
    }

    private void addLookup(EgressEvent event) {
        Lookup lookup = lookups.computeIfAbsent(event.targetHost(), Lookup::new);
        lookup.count++;
        lookup.durationMillis += Math.max(0, event.durationMillis());
        if (!event.ok()) {
            lookup.failed++;
        }
        if (event.resolved() != null) {
            for (String address : event.resolved().split("\\|")) {
                addLimited(lookup.addresses, address);
            }
        }
        addLimited(lookup.callers, event.callerName());
    }

    private static void addLimited(Set<String> set, String value) {
        if (value != null && set.size() < DETAIL_LIMIT) {
            set.add(value);
        }
    }

    private void addToTimeline(long start, int status) {
        if (timelineSize == TIMELINE_LIMIT) {
            timelineDropped++;
            return;
        }
        if (timelineSize == starts.length) {
            starts = Arrays.copyOf(starts, Math.min(TIMELINE_LIMIT, starts.length * 2));
            statuses = Arrays.copyOf(statuses, starts.length);
        }
        starts[timelineSize] = start;
        statuses[timelineSize] = (byte) status;
        timelineSize++;
    }

    /** Lines of the events files that could not be read, to show on the page. */
    public synchronized void skippedLines(long count) {
        skippedLines = count;
    }

    synchronized long events() {
        return events;
    }

    synchronized long skippedLines() {
        return skippedLines;
    }

    synchronized Iterable<Edge> edges() {
        return edges.values();
    }

    synchronized Iterable<Lookup> lookups() {
        return lookups.values();
    }

    synchronized long timelineDropped() {
        return timelineDropped;
    }

    /**
     * The timeline as at most {@code buckets} equal time slices from the first to the last event: per
     * slice the count of ok, failed, denied connections and lookups.
     */
    synchronized Timeline timeline(int buckets) {
        if (timelineSize == 0) {
            return new Timeline(0, 1, new long[0][]);
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < timelineSize; i++) {
            min = Math.min(min, starts[i]);
            max = Math.max(max, starts[i]);
        }
        long width = Math.max(1, (max - min) / buckets + 1);
        long[][] counts = new long[(int) ((max - min) / width) + 1][4];
        for (int i = 0; i < timelineSize; i++) {
            counts[(int) ((starts[i] - min) / width)][statuses[i]]++;
        }
        return new Timeline(min, width, counts);
    }

    /** @param counts per slice: ok, failed, denied, lookups */
    record Timeline(long startMillis, long sliceMillis, long[][] counts) {
    }
}
