package dev.socksbridge.agent.report;

import dev.socksbridge.agent.bootstrap.CallerTag;
import dev.socksbridge.proxy.EventFormat;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the agent only observes: datagrams per destination and caller (UDP is never routed), and name
 * lookups per host. Datagram totals are kept, not logged one by one (a statsd client sends thousands);
 * they become one record per destination and caller at exit. Thread-safe.
 */
public final class Traffic {

    private final Map<UdpKey, UdpTotals> datagrams = new ConcurrentHashMap<>();
    private final Map<String, HostLookups> lookups = new LinkedHashMap<>();

    /** The caller's text is the key: the same call site sending to the same place is one row. */
    private record UdpKey(String destination, String caller) {
    }

    /** Totals of one destination and caller; the first tag is kept for the record. */
    static final class UdpTotals {
        final CallerTag firstTag;
        final InetSocketAddress target;
        final LongAdder datagrams = new LongAdder();
        final LongAdder bytes = new LongAdder();

        UdpTotals(CallerTag firstTag, InetSocketAddress target) {
            this.firstTag = firstTag;
            this.target = target;
        }
    }

    public void datagram(CallerTag tag, InetSocketAddress target, long bytes, int count) {
        UdpTotals totals = datagrams.computeIfAbsent(new UdpKey(EventFormat.address(target), tag.callerText()),
                key -> new UdpTotals(tag, target));
        totals.datagrams.add(count);
        totals.bytes.add(bytes);
    }

    Collection<UdpTotals> udpTotals() {
        return datagrams.values();
    }

    public synchronized void lookup(String host, InetAddress[] addresses, long nanos, String caller) {
        HostLookups row = lookups.computeIfAbsent(host, HostLookups::new);
        row.lookups++;
        row.nanos += nanos;
        row.callers.add(caller);
        if (addresses == null) {
            row.failures++;
        } else {
            for (InetAddress address : addresses) {
                row.addresses.add(address.getHostAddress());
            }
        }
    }

    /** The UDP table: destination, caller, datagrams, bytes. */
    public List<String> udpLines() {
        List<String> lines = new ArrayList<>();
        if (datagrams.isEmpty()) {
            return lines;
        }
        String format = "socksbridge summary  udp %-24s %9s %10s  %s";
        lines.add(String.format(Locale.ROOT, format, "destination", "datagrams", "bytes", "caller (route=direct)"));
        datagrams.forEach((key, totals) -> lines.add(String.format(Locale.ROOT, format, key.destination(),
                totals.datagrams.sum(), EventFormat.bytes(totals.bytes.sum()), key.caller())));
        return lines;
    }

    /**
     * The lookups table: host, addresses, lookups, time, callers, failures, and the destinations in the
     * connection summary that used the name or one of its addresses ({@code then=}).
     */
    public synchronized List<String> dnsLines(Summary connections) {
        List<String> lines = new ArrayList<>();
        if (lookups.isEmpty()) {
            return lines;
        }
        String format = "socksbridge summary  dns %-24s %7s %8s %7s %8s  %s -> then: %s";
        lines.add(String.format(Locale.ROOT, format, "host", "lookups", "total", "callers", "failures",
                "addresses", "connections"));
        for (HostLookups row : lookups.values()) {
            Set<String> then = connections.destinationsUsing(row.host, row.addresses);
            lines.add(String.format(Locale.ROOT, format, row.host, row.lookups,
                    EventFormat.duration(java.time.Duration.ofNanos(row.nanos)), row.callers.size(), row.failures,
                    row.addresses.isEmpty() ? "-" : String.join("|", row.addresses),
                    then.isEmpty() ? "-" : String.join(" ", then)));
        }
        return lines;
    }

    private static final class HostLookups {
        final String host;
        final Set<String> addresses = new LinkedHashSet<>();
        final Set<String> callers = new HashSet<>();
        long lookups;
        long nanos;
        long failures;

        HostLookups(String host) {
            this.host = host;
        }
    }
}
