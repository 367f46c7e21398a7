package dev.socksbridge.proxy;

import java.util.Objects;

/**
 * Where a client asked to go, exactly as it named it: a host name (to be resolved by the proxy) or an
 * IP literal, and a port. Kept apart from the address finally reached so logs can show both.
 */
public record Destination(String host, int port) {

    public Destination {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host: \"\" (expected: a host name or IP literal)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
    }

    /** {@code host:port}, with IPv6 literals in brackets. */
    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
