package dev.socksbridge.proxy.relay;

import dev.socksbridge.proxy.protocol.ReplyCode;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Answers a parsed request in the client's own protocol. Reply codes are SOCKS5's, the richest set;
 * other protocols map them to theirs ({@link #codeFor}). A session without handshake (transparent)
 * answers nothing. BIND answers twice: {@link #succeeded} with the listening address, then with the peer's.
 */
public interface Replier {

    /** @param bound the local address of the outbound socket (SOCKS5 BND), or for BIND/UDP the relay's */
    void succeeded(InetSocketAddress bound) throws IOException;

    void failed(ReplyCode code) throws IOException;

    /** The code the client sees for {@code code} in its protocol (SOCKS4 CD, HTTP status); reported in events. */
    default int codeFor(ReplyCode code) {
        return code.code();
    }

    /** For sessions whose client expects no reply at all. */
    Replier NONE = new Replier() {
        @Override
        public void succeeded(InetSocketAddress bound) {
        }

        @Override
        public void failed(ReplyCode code) {
        }
    };
}
