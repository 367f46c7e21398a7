package dev.socksbridge.agent.bootstrap;

import java.util.Objects;

/**
 * The running agent's fault table for code in the same JVM, such as the socksbridge JUnit extension (found
 * like {@link AgentEvents}: {@code Class.forName(AgentFaults.class.getName(), false, null)}). Only JDK
 * types cross: a fault goes in as its text ({@code PATTERN->TYPE key=value ...}) and comes back as an
 * opaque token to remove it with.
 */
public final class AgentFaults {

    private static volatile Table table;

    private AgentFaults() {
    }

    /** The running agent's fault table, seen through JDK types only. */
    public interface Table {
        /** @throws IllegalArgumentException for a bad spec */
        Object add(String spec);

        boolean remove(Object token);
    }

    /** Called once by the agent when it starts. */
    public static void install(Table faults) {
        table = Objects.requireNonNull(faults, "faults");
    }

    /**
     * Adds a fault to the running agent's table; returns its token.
     *
     * @throws IllegalArgumentException for a bad spec, naming it and what was expected
     * @throws IllegalStateException when the agent is not running
     */
    public static Object add(String spec) {
        Table current = table;
        if (current == null) {
            throw new IllegalStateException("the socksbridge agent is not running");
        }
        return current.add(spec);
    }

    /** Removes the fault {@link #add} returned; returns whether it was still there. */
    public static boolean remove(Object token) {
        Table current = table;
        return current != null && current.remove(token);
    }
}
