package dev.socksbridge.proxy;

/**
 * Decides whether a request may proceed, from its context alone (destination, client, user and whether
 * it authenticated, an extension's tag): a pure decision, with no side effect, so the server may ask it
 * on any of the session's threads (once per request, or once per datagram of a UDP association). A
 * denial is answered with the protocol's "not allowed" reply (SOCKS5 REP 0x02) and reported with
 * {@link Outcome#DENIED}. Asked before any name resolution or outbound connect; it must be fast and
 * thread-safe, and one that throws denies.
 */
@FunctionalInterface
public interface ConnectionPolicy {

    boolean permits(ConnectionRequest request);

    static ConnectionPolicy allowAll() {
        return request -> true;
    }
}
