package dev.socksbridge.agent.inventory;

import dev.socksbridge.proxy.HostPattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code learn} builds: one {@code allow=} entry per TCP destination the app connected to (as it
 * named it), each with the calling classes and their connection counts. Merging adds counts and entries;
 * an entry once present is never removed. Only {@code learn-scope=destination} rules are written.
 */
public final class LearnedPolicy {

    /** One allowed destination pattern with who used it. */
    static final class Entry {
        final String pattern;
        final Map<String, Long> callers = new TreeMap<>();
        long failed;

        Entry(String pattern) {
            this.pattern = pattern;
        }

        long connections() {
            return callers.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Map<String, Entry> entries = new TreeMap<>();
    /** Lines of a previous file that are neither allow= nor ours (deny=, mode=, ...), kept verbatim. */
    private final List<String> keptLines = new ArrayList<>();
    private long learned;
    private long denied;
    private long unusable;

    /** Whether the agent will read {@code pattern} back as an allow= entry (a destination like "-:0" is not). */
    private static boolean usable(String pattern) {
        try {
            HostPattern.parse(pattern);
            return pattern.indexOf('|') < 0 && pattern.indexOf(',') < 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Adds a connection; lookups, datagrams and connections the policy refused are not rules. */
    public synchronized void add(EgressEvent event) {
        if (event.kind() != EgressEvent.Kind.CONNECTION || event.targetPort() < 0) {
            return;
        }
        if (event.denied()) {
            denied++;
            return;
        }
        String pattern = event.destination();
        if (!usable(pattern)) {
            unusable++;
            return;
        }
        learned++;
        Entry entry = entry(pattern);
        entry.callers.merge(event.callerName(), 1L, Long::sum);
        if (!event.ok()) {
            entry.failed++;
        }
    }

    /** The entry for {@code pattern}, created empty when new (a hand-written or previously learned rule). */
    synchronized Entry entry(String pattern) {
        return entries.computeIfAbsent(pattern, Entry::new);
    }

    /** Adds this policy's entries, counts and kept lines to {@code target}. */
    public synchronized void mergeInto(LearnedPolicy target) {
        for (Entry entry : entries.values()) {
            Entry into = target.entry(entry.pattern);
            entry.callers.forEach((caller, count) -> into.callers.merge(caller, count, Long::sum));
            into.failed += entry.failed;
        }
        keptLines.forEach(target::keep);
    }

    synchronized void keep(String line) {
        if (!keptLines.contains(line)) {
            keptLines.add(line);
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Connections learned from (this run's, not a merged file's). */
    public synchronized long connectionsLearned() {
        return learned;
    }

    /** Connections not learned because the policy refused them. */
    public synchronized long connectionsDenied() {
        return denied;
    }

    /** Connections not learned because their destination is not a valid allow= pattern. */
    public synchronized long connectionsUnusable() {
        return unusable;
    }

    synchronized List<String> keptLines() {
        return List.copyOf(keptLines);
    }

    /** The entries grouped by host (the part before the port), hosts and ports in order. */
    synchronized Map<String, List<Entry>> byHost() {
        Map<String, List<Entry>> groups = new LinkedHashMap<>();
        for (Entry entry : entries.values()) {
            groups.computeIfAbsent(EgressEvent.hostOf(entry.pattern), h -> new ArrayList<>()).add(entry);
        }
        return groups;
    }
}
