package dev.socksbridge.proxy.it.support;

import java.time.Duration;

/**
 * The upper bounds every wait in the integration tests uses. They are generous on purpose: the tests
 * run on loaded 2-core machines and must never depend on timing, only on being bounded.
 */
public final class Limits {

    /** Socket read timeout and the longest any single wait may take. */
    public static final Duration IO = Duration.ofSeconds(30);

    /** {@link #IO} in milliseconds, for {@code setSoTimeout} and connect timeouts. */
    public static final int IO_MILLIS = (int) IO.toMillis();

    private Limits() {
    }
}
