package dev.socksbridge.proxy;

import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Delays on the relay's own thread (a virtual thread on 21+, where sleeping costs nothing): no timer
 * threads. Sleeps in slices so that a session closed meanwhile (its sockets closed) ends the wait within
 * one slice, and an interrupt (the server closing) ends it at once.
 */
final class Pause {

    /** Longest single sleep: how late a closed session or a removed fault is noticed. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Pause() {
    }

    /** Sleeps {@code nanos} unless one of the sockets is closed first (then throws). */
    static void sleep(long nanos, Socket a, Socket b) throws SocketException, InterruptedIOException {
        waitWhile(System.nanoTime() + nanos, () -> true, a, b);
    }

    /**
     * Waits until {@code deadline} ({@link System#nanoTime}) while {@code condition} holds; returns whether
     * it still held at the end. {@code Long.MAX_VALUE} as deadline waits as long as the condition holds.
     */
    static boolean waitWhile(long deadline, BooleanSupplier condition, Socket a, Socket b)
            throws SocketException, InterruptedIOException {
        boolean forever = deadline == Long.MAX_VALUE;
        while (true) {
            if (a.isClosed() || b.isClosed()) {
                throw new SocketException("Socket closed");
            }
            if (!condition.getAsBoolean()) {
                return false;
            }
            long left = forever ? SLICE_NANOS : deadline - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, SLICE_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted during a fault's delay");
            }
        }
    }
}
