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
    private final ThreadFactory tracking;
    private final ThreadPoolExecutor pool; // null with virtual threads
    private final UnaryOperator<Runnable> decorator;

    private SessionThreads(ThreadFactory factory, boolean pooled, UnaryOperator<Runnable> decorator) {
        this.decorator = decorator;
        this.tracking = task -> {
            Thread[] self = new Thread[1];
            Thread thread = factory.newThread(() -> {
                try {
                    task.run();
                } finally {
                    if (!draining) {
                        live.remove(self[0]);
                    }
                }
            });
            self[0] = thread;
            live.add(thread); // before it starts, so a fast thread cannot remove itself first
            return thread;
        };
        this.pool = pooled ? new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), tracking) : null;
    }

    /**
     * Threads from {@code factory} ({@code Builder.threadFactory}) are pooled like platform threads; without
     * one, virtual threads on 21+ (one per task) and pooled platform threads otherwise. Every task runs
     * through {@code decorator} ({@code Builder.taskDecorator}).
     */
    static SessionThreads create(String prefix, ThreadFactory factory, UnaryOperator<Runnable> decorator) {
        if (factory == null) {
            return new SessionThreads(RelayThreads.factory(prefix), !RelayThreads.virtualThreadsAvailable(),
                    decorator);
        }
        return new SessionThreads(factory, true, decorator);
    }

    /** @throws java.util.concurrent.RejectedExecutionException after {@link #awaitAll} began (pooled) */
    void start(Runnable task) {
        Runnable decorated = Objects.requireNonNull(decorator.apply(task), "taskDecorator returned null");
        if (pool != null) {
            pool.execute(decorated);
        } else {
            tracking.newThread(decorated).start();
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
        if (pool != null) {
            pool.shutdown(); // idle pooled threads end now, busy ones after their task
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
