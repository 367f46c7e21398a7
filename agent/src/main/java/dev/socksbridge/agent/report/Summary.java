package dev.socksbridge.agent.report;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.EventFormat;
import dev.socksbridge.proxy.Outcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Per-destination totals, printed as a table when the JVM exits. Thread-safe. */
public final class Summary {

    private final Map<String, Row> rows = new LinkedHashMap<>();
    /** Whether any connection was faulted: only then is the {@code faulted} column printed. */
    private boolean faulted;

    /** A finished connection (never a lookup: those have no destination). */
    public synchronized void add(ConnectionEvent r) {
        Row row = rows.computeIfAbsent(r.destination().toString(), Row::new);
        row.connections++;
        row.up += r.bytesUp() == null ? 0 : r.bytesUp();
        row.down += r.bytesDown() == null ? 0 : r.bytesDown();
        row.callers.add(LogLine.caller(r));
        row.host = r.destination().host();
        String resolved = EventFormat.resolved(r);
        if (resolved != null) {
            row.resolvedIps.add(ip(resolved));
        }
        if (r.outcome() != Outcome.OK) {
            row.failures++;
        }
        if (r.via() != null && !"direct".equals(r.via())) {
            row.vias.add(r.via());
        }
        if (!r.faults().isEmpty()) {
            row.faulted++;
            faulted = true;
        }
    }

    /** The table, one line per destination (most connections first), or an empty list when nothing connected. */
    public synchronized List<String> lines() {
        List<String> lines = new ArrayList<>();
        if (rows.isEmpty()) {
            return lines;
        }
        List<Row> sorted = new ArrayList<>(rows.values());
        sorted.sort((a, b) -> Long.compare(b.connections, a.connections));
        int width = "destination".length();
        for (Row row : sorted) {
            width = Math.max(width, row.destination.length());
        }
        String format = "socksbridge summary  %-" + width + "s %6s %10s %10s %8s %8s" + (faulted ? " %7s" : "");
        lines.add(String.format(Locale.ROOT, format, "destination", "conns", "up", "down", "callers", "failures",
                "faulted"));
        for (Row row : sorted) {
            String line = String.format(Locale.ROOT, format, row.destination, row.connections, EventFormat.bytes(row.up),
                    EventFormat.bytes(row.down), row.callers.size(), row.failures, row.faulted);
            lines.add(row.vias.isEmpty() ? line : line + "  via=\"" + String.join("\" \"", row.vias) + "\"");
        }
        return lines;
    }

    /** Destinations whose host is {@code name} or that reached one of {@code addresses}. */
    synchronized Set<String> destinationsUsing(String name, Set<String> addresses) {
        Set<String> found = new LinkedHashSet<>();
        for (Row row : rows.values()) {
            if (name.equalsIgnoreCase(row.host) || addresses.contains(row.host)
                    || row.resolvedIps.stream().anyMatch(addresses::contains)) {
                found.add(row.destination);
            }
        }
        return found;
    }

    /** {@code ip:port} or {@code [v6]:port} back to the bare address. */
    private static String ip(String resolved) {
        int colon = resolved.lastIndexOf(':');
        String ip = colon < 0 ? resolved : resolved.substring(0, colon);
        return ip.startsWith("[") ? ip.substring(1, ip.length() - 1) : ip;
    }

    private static final class Row {
        final String destination;
        final Set<String> callers = new HashSet<>();
        final Set<String> resolvedIps = new HashSet<>();
        final Set<String> vias = new LinkedHashSet<>(); // routes other than direct, in the order first taken
        String host;
        long connections;
        long up;
        long down;
        long failures;
        long faulted;

        Row(String destination) {
            this.destination = destination;
        }
    }
}
