package dev.socksbridge.proxy.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** Starts threads and remembers them until they end, so the server can wait for all of them on close. */
final class ThreadTracker {

    private final ThreadFactory factory;
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();

    ThreadTracker(ThreadFactory factory) {
        this.factory = factory;
    }

    Thread start(Runnable task) {
        Thread[] self = new Thread[1];
        Thread thread = factory.newThread(() -> {
            try {
                task.run();
            } finally {
                live.remove(self[0]);
            }
        });
        self[0] = thread;
        live.add(thread); // before start(), so a fast thread cannot remove itself first
        thread.start();
        return thread;
    }

    int liveCount() {
        return live.size();
    }

    void interruptAll() {
        for (Thread thread : live) {
            thread.interrupt();
        }
    }

    /** Waits until every tracked thread ended or the deadline passed; returns the ones still alive. */
    List<Thread> joinAll(long deadlineNanos) throws InterruptedException {
        while (!live.isEmpty()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                break;
            }
            for (Thread thread : live) {
                TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(1, deadlineNanos - System.nanoTime()));
                if (System.nanoTime() >= deadlineNanos) {
                    break;
                }
            }
        }
        return new ArrayList<>(live);
    }
}
