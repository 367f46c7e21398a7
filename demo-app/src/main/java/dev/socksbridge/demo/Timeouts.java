package dev.socksbridge.demo;

import java.time.Duration;

/** Every call is bounded, so a demo never hangs on a loaded machine or a swallowed packet. */
final class Timeouts {
    static final Duration CONNECT = Duration.ofSeconds(10);
    static final Duration READ = Duration.ofSeconds(10);

    private Timeouts() {
    }

    static int connectMillis() {
        return (int) CONNECT.toMillis();
    }

    static int readMillis() {
        return (int) READ.toMillis();
    }
}
