package dev.socksbridge.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Runs session tasks and, on close, waits until every thread it made has ended. Virtual threads (21+)
 * are started per task; platform threads (17) are pooled, because creating two per connection would cost
 * more than the connection itself. Either way every thread is remembered until it ends.
 */
final class SessionThreads {

    /** How many still-running threads the close warning names. */
    private static final int STUCK_NAMED = 10;

    private final Set<Thread> live = ConcurrentHashMap.newKeySet();
    /** Once set, ending threads stay in {@link #live} so that close can join them until truly dead. */
    private volatile boolean draining;
    private final String prefix;
    private final ThreadFactory given;
    private final UnaryOperator<Runnable> decorator;
    /**
     * How tasks start, made with the first session rather than with the server: finding virtual threads
     * (method handles, 21+) is work an agent's server would otherwise do before the app's main.
     */
    private volatile Launcher launcher;

    private SessionThreads(String prefix, ThreadFactory given, UnaryOperator<Runnable> decorator) {
        this.prefix = prefix;
        this.given = given;
        this.decorator = decorator;
    }

    /**
     * Threads from {@code factory} ({@code Builder.threadFactory}) are pooled like platform threads; without
     * one, virtual threads on 21+ (one per task) and pooled platform threads otherwise. Every task runs
     * through {@code decorator} ({@code Builder.taskDecorator}).
     */
    static SessionThreads create(String prefix, ThreadFactory factory, UnaryOperator<Runnable> decorator) {
        return new SessionThreads(prefix, factory, decorator);
    }

    /** @throws java.util.concurrent.RejectedExecutionException after {@link #awaitAll} began (pooled) */
    void start(Runnable task) {
        Runnable decorated = Objects.requireNonNull(decorator.apply(task), "taskDecorator returned null");
        Launcher current = launcher();
        if (current.pool != null) {
            current.pool.execute(decorated);
        } else {
            current.tracking.newThread(decorated).start();
        }
    }

    private Launcher launcher() {
        Launcher current = launcher;
        if (current == null) {
            synchronized (this) {
                if (launcher == null) {
                    launcher = given != null ? new Launcher(new Tracking(given), true)
                            : new Launcher(new Tracking(RelayThreads.factory(prefix)),
                                    !RelayThreads.virtualThreadsAvailable());
                }
                current = launcher;
            }
        }
        return current;
    }

    /** Threads started per task, or pooled ({@code pool} not null). */
    private static final class Launcher {
        final ThreadFactory tracking;
        final ThreadPoolExecutor pool;

        Launcher(ThreadFactory tracking, boolean pooled) {
            this.tracking = tracking;
            this.pool = pooled ? new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), tracking) : null;
        }
    }

    /** Makes threads that are in {@link #live} from before they start until they end. */
    private final class Tracking implements ThreadFactory {
        private final ThreadFactory factory;

        Tracking(ThreadFactory factory) {
            this.factory = factory;
        }

        @Override
        public Thread newThread(Runnable task) {
            Tracked tracked = new Tracked(task);
            Thread thread = factory.newThread(tracked);
            tracked.thread = thread;
            live.add(thread); // before it starts, so a fast thread cannot remove itself first
            return thread;
        }
    }

    /** A task that takes its thread out of {@link #live} when it ends (unless a close is joining them). */
    private final class Tracked implements Runnable {
        private final Runnable task;
        volatile Thread thread;

        Tracked(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            try {
                task.run();
            } finally {
                if (!draining) {
                    live.remove(thread);
                }
            }
        }
    }

    /** Call before ending the sessions: from now on, threads are remembered until {@link #awaitAll} joins them. */
    void beginDrain() {
        draining = true;
    }

    /** Interrupts every thread (a virtual thread blocked in connect() then closes that socket). */
    void interruptAll() {
        for (Thread thread : live) {
            thread.interrupt();
        }
    }

    /** Waits until every thread ended or the deadline passed; returns a description of what still runs, or "". */
    String awaitAll(long deadlineNanos) throws InterruptedException {
        Launcher current = launcher; // null: no session ever started
        if (current != null && current.pool != null) {
            current.pool.shutdown(); // idle pooled threads end now, busy ones after their task
        }
        draining = true;
        Thread self = Thread.currentThread(); // close() called from a listener must not wait for itself
        // Loop: a session may start its second thread while we wait for the first ones.
        boolean waiting = true;
        while (waiting && deadlineNanos - System.nanoTime() > 0) {
            waiting = false;
            for (Thread thread : live) {
                long left = deadlineNanos - System.nanoTime();
                if (thread == self || left <= 0) {
                    continue;
                }
                waiting = true;
                TimeUnit.NANOSECONDS.timedJoin(thread, left);
                if (!thread.isAlive()) {
                    live.remove(thread);
                }
            }
        }
        List<Thread> stuck = new ArrayList<>(live);
        stuck.remove(self);
        if (stuck.isEmpty()) {
            return "";
        }
        // Name a few: with thousands of relays one warning line must not list them all.
        List<Thread> named = stuck.subList(0, Math.min(STUCK_NAMED, stuck.size()));
        return stuck.size() + " thread(s): " + named + (stuck.size() > STUCK_NAMED ? " ..." : "");
    }
}
