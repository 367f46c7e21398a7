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
