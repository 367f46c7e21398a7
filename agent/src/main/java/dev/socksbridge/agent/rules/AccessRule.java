package dev.socksbridge.agent.rules;

import dev.socksbridge.proxy.HostPattern;

/**
 * One {@code allow=} or {@code deny=} entry: a destination ({@link HostPattern}), optionally for some
 * callers only: {@code CALLER -> DESTINATION}, e.g. {@code com.acme.billing.** -> api.payments.example:443}
 * ({@link CallerPattern}). An entry without {@code ->} is for any caller, as it always was.
 */
public final class AccessRule {

    /** What separates the caller from the destination; no destination pattern contains it. */
    public static final String ARROW = "->";

    private final String text;
    private final CallerPattern caller; // null: any caller
    private final HostPattern destination;

    private AccessRule(String text, CallerPattern caller, HostPattern destination) {
        this.text = text;
        this.caller = caller;
        this.destination = destination;
    }

    /**
     * @throws IllegalArgumentException whose message is the entry in single quotes followed by the problem
     *         and what was expected in parentheses (for a destination-only entry, {@link HostPattern#parse}'s
     *         message); callers put the option it came from in front
     */
    public static AccessRule parse(String text) {
        String entry = text == null ? "" : text.trim();
        int arrow = entry.indexOf(ARROW);
        if (arrow < 0) {
            return new AccessRule(entry, null, HostPattern.parse(entry));
        }
        if (entry.indexOf(ARROW, arrow + ARROW.length()) >= 0) {
            throw bad(entry, "more than one '->'; " + CallerPattern.EXPECTED + ", then -> and one destination");
        }
        CallerPattern caller;
        try {
            caller = CallerPattern.parse(entry.substring(0, arrow).trim());
        } catch (IllegalArgumentException e) {
            throw bad(entry, e.getMessage());
        }
        String to = entry.substring(arrow + ARROW.length()).trim();
        try {
            return new AccessRule(entry, caller, HostPattern.parse(to));
        } catch (IllegalArgumentException e) {
            throw bad(entry, "destination " + e.getMessage());
        }
    }

    /** The rule a learned caller-scoped entry is written as: {@code com.acme.Billing -> api.example:443}. */
    public static String text(String callerClass, String destination) {
        return callerClass + " " + ARROW + " " + destination;
    }

    /**
     * @param callerClass the calling class, {@code null} when unknown or another process's client
     * @param host        one name the destination is known by
     */
    public boolean matches(String callerClass, String host, int port) {
        return (caller == null || caller.matches(callerClass)) && destination.matches(host, port);
    }

    /** Whether the rule names who may connect (it applies to those callers only). */
    public boolean scopedByCaller() {
        return caller != null;
    }

    private static IllegalArgumentException bad(String text, String problem) {
        return new IllegalArgumentException("'" + text + "' (" + problem + ")");
    }

    /** The entry as written. */
    @Override
    public String toString() {
        return text;
    }
}
