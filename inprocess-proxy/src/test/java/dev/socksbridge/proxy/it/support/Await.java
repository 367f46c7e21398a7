package dev.socksbridge.proxy.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition nobody can signal (a file-descriptor count, a thread ending) by polling it,
 * bounded in time and in number of checks. Waits that can be signalled use queues or futures instead.
 */
public final class Await {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private Await() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, () -> "");
    }

    /** Fails with {@code what} and the {@code state} at the last check if the condition never held. */
    public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long maxChecks = timeout.toNanos() / POLL_NANOS + 1;
        for (long check = 0; check < maxChecks; check++) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        if (!condition.getAsBoolean()) {
            fail("timed out after " + timeout + " waiting until " + what + " " + state.get());
        }
    }
}
