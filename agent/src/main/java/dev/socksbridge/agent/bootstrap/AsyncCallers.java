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
    /**
     * The caller that made each object which connects later on another thread (an {@code HttpClient}
     * exchange, an OkHttp connect plan), while it is in use (weak: gone with the object).
     */
    private static final WeakIdentityMap<CallerTag> MADE_BY = new WeakIdentityMap<>();
    /** What {@link #enter} returns when it changed nothing. */
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
     * Advice: {@code maker} (a new {@code HttpClient} exchange, made by {@code send}/{@code sendAsync}; an
     * OkHttp connect plan) remembers the current caller, for the connections it opens later on other
     * threads. Never throws.
     */
    public static void remember(Object maker) {
        if (maker == null || Hooks.observer() == null || Hooks.isBypassed()) {
            return;
        }
        Hooks.beginBypass();
        try {
            CallerTag caller = Hooks.tag("", -1);
            if (caller.callerClass() != null) {
                MADE_BY.put(maker, caller);
            }
        } catch (Throwable e) {
            // never into the app: its later connects are simply not attributed
        } finally {
            Hooks.endBypass();
        }
    }

    /**
     * Advice: a step of {@code maker} that may connect starts on this thread; its connects inherit the
     * caller {@code maker} remembered. Returns what {@link #exit} restores. Never throws.
     */
    public static Object enter(Object maker) {
        CallerTag caller = maker == null || Hooks.observer() == null ? null : MADE_BY.get(maker);
        if (caller == null) {
            return UNCHANGED;
        }
        CallerTag previous = INHERITED.get();
        INHERITED.set(caller);
        return previous;
    }

    /** Advice: the step {@link #enter} began returned; {@code previous} is what it returned. */
    public static void exit(Object previous) {
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
