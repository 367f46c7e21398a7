package dev.socksbridge.proxy;

import java.io.IOException;

/**
 * Thrown by a {@link Dialer} (or raised for a {@link ConnectionPolicy} denial) to refuse a connection
 * by rule; the server answers it with "connection not allowed by ruleset" (SOCKS5 REP 0x02).
 */
public class ConnectionDeniedException extends IOException {

    public ConnectionDeniedException(String message) {
        super(message);
    }
}
