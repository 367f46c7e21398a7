package dev.socksbridge.proxy;

import dev.socksbridge.proxy.protocol.ReplyCode;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Answers a parsed request in the client's own protocol. Reply codes are SOCKS5's, the richest set;
 * other protocols map them to theirs ({@link #codeFor}). A session without handshake (transparent)
 * answers its route. BIND answers twice: {@link #succeeded} with the listening address, then with the peer's.
 */
interface Replier {

    /** @param bound the local address of the outbound socket (SOCKS5 BND), or for BIND/UDP the relay's */
    void succeeded(InetSocketAddress bound) throws IOException;

    void failed(ReplyCode code) throws IOException;

    /** The code the client sees for {@code code} in its protocol (SOCKS4 CD, HTTP status); reported in events. */
    default int codeFor(ReplyCode code) {
        return code.code();
    }
}
