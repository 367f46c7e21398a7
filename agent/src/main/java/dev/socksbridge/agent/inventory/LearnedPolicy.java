package dev.socksbridge.agent.inventory;

import dev.socksbridge.agent.rules.AccessRule;
import dev.socksbridge.proxy.HostPattern;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code learn} builds: one {@code allow=} entry per TCP destination the app connected to (as it
 * named it), each with the calling classes and their connection counts; with {@link LearnScope#CALLER} one
 * entry per calling class and destination ({@code com.acme.Billing -> api.example:443}), except for
 * connections whose caller is unknown, which keep a destination-only entry (no rule can name them).
 * Merging adds counts and entries; an entry once present is never removed.
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

    private final LearnScope scope;
    private final Map<String, Entry> entries = new TreeMap<>();
    /** Lines of a previous file that are neither allow= nor ours (deny=, mode=, ...), kept verbatim. */
    private final List<String> keptLines = new ArrayList<>();
    private long learned;
    private long denied;
    private long unusable;

    /** A policy learning destination-only rules. */
    public LearnedPolicy() {
        this(LearnScope.DESTINATION);
    }

    public LearnedPolicy(LearnScope scope) {
        this.scope = scope;
    }

    public LearnScope scope() {
        return scope;
    }

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
        Entry entry;
        if (scope == LearnScope.CALLER && event.callerClass() != null) {
            String caller = definingClass(event.callerClass());
            entry = entry(callerRule(caller, pattern));
            entry.callers.merge(caller, 1L, Long::sum);
        } else {
            entry = entry(pattern);
            entry.callers.merge(event.callerName(), 1L, Long::sum);
        }
        if (!event.ok()) {
            entry.failed++;
        }
    }

    /** A hidden class ({@code com.acme.Billing$$Lambda/0x...}, named anew in each run) as the class that defined it. */
    static String definingClass(String callerClass) {
        int hidden = callerClass.indexOf('/');
        if (hidden < 0) {
            return callerClass;
        }
        int lambda = callerClass.indexOf("$$");
        return callerClass.substring(0, lambda > 0 && lambda < hidden ? lambda : hidden);
    }

    /** {@code CLASS -> destination}, or the destination alone for a class name no rule can name. */
    static String callerRule(String callerClass, String destination) {
        String rule = AccessRule.text(callerClass, destination);
        try {
            AccessRule.parse(rule);
            return rule;
        } catch (IllegalArgumentException e) {
            return destination; // any caller, as the callers comment above it shows
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

    /** The entries grouped by destination host (the part before the port), hosts and ports in order. */
    synchronized Map<String, List<Entry>> byHost() {
        List<Entry> ordered = new ArrayList<>(entries.values());
        ordered.sort(Comparator.comparing((Entry e) -> destinationOf(e.pattern)).thenComparing(e -> e.pattern));
        Map<String, List<Entry>> groups = new LinkedHashMap<>();
        for (Entry entry : ordered) {
            groups.computeIfAbsent(EgressEvent.hostOf(destinationOf(entry.pattern)), h -> new ArrayList<>()).add(entry);
        }
        return groups;
    }

    /** The destination of an entry: the part after {@code ->}, or all of it. */
    private static String destinationOf(String pattern) {
        int arrow = pattern.indexOf(AccessRule.ARROW);
        return arrow < 0 ? pattern : pattern.substring(arrow + AccessRule.ARROW.length()).trim();
    }
}
