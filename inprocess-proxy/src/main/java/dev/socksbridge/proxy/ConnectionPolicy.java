package dev.socksbridge.proxy;

/**
 * Decides whether a request may proceed. A denial is answered with the protocol's "not allowed" reply
 * (SOCKS5 REP 0x02) and reported with {@link Outcome#DENIED}. Called on the session's thread, before
 * any name resolution or outbound connect; it must be fast and thread-safe.
 */
@FunctionalInterface
public interface ConnectionPolicy {

    boolean permits(ConnectionRequest request);

    static ConnectionPolicy allowAll() {
        return request -> true;
    }
}
