package dev.socksbridge.proxy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces the handshake timeout of every session from one thread, a few times a second, by closing the
 * client of a session past its deadline (the session then reports a handshake timeout).
 *
 * <p>Why not a socket timeout per read: on virtual threads every read with {@code SO_TIMEOUT} that has to
 * wait schedules a timer and wakes the JDK's timer thread, then cancels the timer when the bytes arrive;
 * with a request read per session that was about a tenth of the CLI's CPU at 16 clients
 * (docs/benchmarks.md). Here a session costs one volatile field; the price is precision: a deadline fires
 * up to one tick late (a tick is a quarter of the timeout, at most 100 ms).
 *
 * <p>Runs on a session thread only while handshakes run: the engine starts it with a session when it is
 * not running, and it ends after a second without any session in its handshake (an idle server, or an
 * agent's JVM whose connections are all relaying or idle, keeps no thread for it and gets no wake-ups
 * from it).
 */
final class HandshakeDeadlines implements Runnable {

    private static final long MAX_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long IDLE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final AtomicIntegerFieldUpdater<HandshakeDeadlines> RUNNING =
            AtomicIntegerFieldUpdater.newUpdater(HandshakeDeadlines.class, "running");

    private final ProxyEngine engine;
    private final long tickNanos;
    private volatile Thread thread;
    /** 1 while a thread runs {@link #run} (or is being started for it). */
    private volatile int running;

    HandshakeDeadlines(ProxyEngine engine, long handshakeTimeoutNanos) {
        this.engine = engine;
        this.tickNanos = Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS, handshakeTimeoutNanos / 4));
    }

    /**
     * Called by the accept thread after it registered a session: whether a thread must be started for
     * {@link #run} (the caller starts it; if it cannot, it calls {@link #notStarted}).
     */
    boolean needsThread() {
        return running == 0 && RUNNING.compareAndSet(this, 0, 1);
    }

    void notStarted() {
        running = 0;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            long lastBusy = System.nanoTime();
            while (!engine.closing()) {
                LockSupport.parkNanos(this, tickNanos);
                long now = System.nanoTime();
                if (engine.expireHandshakes(now)) {
                    lastBusy = now;
                } else if (now - lastBusy >= IDLE_AFTER_NANOS && mayEnd()) {
                    return;
                }
            }
        } finally {
            thread = null;
        }
    }

    /**
     * Whether this thread may end: no session is in its handshake, or one arrived meanwhile whose accept
     * thread saw this one still running (and so started none); then it goes on. Both sides write, then read
     * the other's volatile, so at least one of them sees the other (a new session is handshaking from
     * before it is live).
     */
    private boolean mayEnd() {
        running = 0;
        return !engine.hasHandshakingSessions() || !RUNNING.compareAndSet(this, 0, 1);
    }

    /** Wakes the thread so it sees the engine closing now rather than a tick later. */
    void wake() {
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }
}
