package dev.socksbridge.agent.bootstrap;

import java.util.concurrent.Executor;

/**
 * Carries the app's caller across the hop that {@code HttpClient.sendAsync} makes to the client's
 * executor: the exchange, and the connect it opens, then run on a worker thread whose stack names no
 * application code. The advice on {@code HttpClientImpl.sendAsync} wraps the executor that hop uses, so
 * its task runs with the caller of {@code sendAsync} as the worker's inherited caller, which
 * {@link Hooks#tag} uses when the stack has no application frame.
 */
public final class AsyncCallers {

    private static final ThreadLocal<CallerTag> INHERITED = new ThreadLocal<>();
    /** The caller of each {@code HttpClient} exchange still in use (weak: gone with the exchange). */
    private static final WeakIdentityMap<CallerTag> EXCHANGES = new WeakIdentityMap<>();
    /** What {@link #enterExchange} returns when it changed nothing. */
    private static final Object UNCHANGED = new Object();

    private AsyncCallers() {
    }

    /**
     * Advice: {@code executor}, wrapped to pass on the current caller when there is one (otherwise, or
     * when the agent is off, the same executor). Never throws.
     */
    public static Executor carryCaller(Executor executor) {
        if (executor == null || Hooks.observer() == null || Hooks.isBypassed()) {
            return executor;
        }
        Hooks.beginBypass();
        try {
            CallerTag caller = Hooks.tag("", -1);
            return caller.callerClass() == null ? executor : new CallerCarrying(executor, caller);
        } catch (Throwable e) {
            return executor;
        } finally {
            Hooks.endBypass();
        }
    }

    /**
     * Advice: a new {@code HttpClient} exchange ({@code MultiExchange}) remembers the caller of the
     * {@code send}/{@code sendAsync} that created it, for the connections it opens later. Never throws.
     */
    public static void rememberExchange(Object exchange) {
        if (exchange == null || Hooks.observer() == null || Hooks.isBypassed()) {
            return;
        }
        Hooks.beginBypass();
        try {
            CallerTag caller = Hooks.tag("", -1);
            if (caller.callerClass() != null) {
                EXCHANGES.put(exchange, caller);
            }
        } catch (Throwable e) {
            // never into the app: this exchange's later connects are simply not attributed
        } finally {
            Hooks.endBypass();
        }
    }

    /**
     * Advice: a step of {@code exchange} that may connect starts on this thread; its connects inherit the
     * exchange's caller. Returns what {@link #exitExchange} restores. Never throws.
     */
    public static Object enterExchange(Object exchange) {
        CallerTag caller = exchange == null || Hooks.observer() == null ? null : EXCHANGES.get(exchange);
        if (caller == null) {
            return UNCHANGED;
        }
        CallerTag previous = INHERITED.get();
        INHERITED.set(caller);
        return previous;
    }

    /** Advice: the step {@link #enterExchange} began returned; {@code previous} is what it returned. */
    public static void exitExchange(Object previous) {
        if (previous == UNCHANGED) {
            return;
        }
        if (previous instanceof CallerTag tag) {
            INHERITED.set(tag);
        } else {
            INHERITED.remove();
        }
    }

    /** The caller handed to the task this thread runs, or null. */
    static CallerTag inherited() {
        return INHERITED.get();
    }

    /** Runs {@code task} with {@code caller} as this thread's inherited caller. */
    static void runAs(CallerTag caller, Runnable task) {
        CallerTag previous = INHERITED.get();
        INHERITED.set(caller);
        try {
            task.run();
        } finally {
            if (previous == null) {
                INHERITED.remove();
            } else {
                INHERITED.set(previous);
            }
        }
    }

    /** The JDK's executor; each task it is given runs as {@code caller}. */
    private record CallerCarrying(Executor delegate, CallerTag caller) implements Executor {

        @Override
        public void execute(Runnable task) {
            if (task == null) {
                throw new NullPointerException("task");
            }
            delegate.execute(() -> runAs(caller, task));
        }
    }
}
