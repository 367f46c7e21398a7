package dev.socksbridge.proxy.relay;

import dev.socksbridge.proxy.protocol.ReplyCode;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Answers a parsed request in the client's own protocol. Reply codes are SOCKS5's, the richest set;
 * other protocols map them to theirs. A session without handshake (transparent) answers nothing.
 */
public interface Replier {

    /** @param bound the local address of the outbound socket (SOCKS5 BND) */
    void succeeded(InetSocketAddress bound) throws IOException;

    void failed(ReplyCode code) throws IOException;

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
