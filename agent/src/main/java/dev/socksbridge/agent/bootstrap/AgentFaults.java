package dev.socksbridge.agent.bootstrap;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The running agent's fault table for code in the same JVM, such as the socksbridge JUnit extension (found
 * like {@link AgentEvents}: {@code Class.forName(AgentFaults.class.getName(), false, null)}). Only JDK
 * types cross: a fault goes in as its text ({@code PATTERN->TYPE key=value ...}) and comes back as an
 * opaque token to remove it with.
 */
public final class AgentFaults {

    private static volatile Function<String, Object> adder;
    private static volatile Predicate<Object> remover;

    private AgentFaults() {
    }

    /** Called once by the agent when it starts. */
    public static void install(Function<String, Object> add, Predicate<Object> remove) {
        adder = Objects.requireNonNull(add, "add");
        remover = Objects.requireNonNull(remove, "remove");
    }

    /**
     * Adds a fault to the running agent's table; returns its token.
     *
     * @throws IllegalArgumentException for a bad spec, naming it and what was expected
     * @throws IllegalStateException when the agent is not running
     */
    public static Object add(String spec) {
        Function<String, Object> add = adder;
        if (add == null) {
            throw new IllegalStateException("the socksbridge agent is not running");
        }
        return add.apply(spec);
    }

    /** Removes the fault {@link #add} returned; returns whether it was still there. */
    public static boolean remove(Object token) {
        Predicate<Object> remove = remover;
        return remove != null && remove.test(token);
    }
}
