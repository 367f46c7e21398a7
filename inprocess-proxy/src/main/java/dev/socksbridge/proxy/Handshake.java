package dev.socksbridge.proxy;

import java.io.IOException;
import java.io.OutputStream;

/** One protocol's conversation from the client's first byte up to a parsed request. */
interface Handshake {

    Protocol protocol();

    /**
     * Reads the client's messages from {@code in} (deadline enforced there) and writes the protocol's
     * intermediate answers to {@code out}. Throws {@link dev.socksbridge.proxy.protocol.ProtocolException}
     * (with the bytes to answer) for malformed input and {@link AuthenticationFailedException} for
     * refused credentials.
     */
    Negotiated negotiate(HandshakeInput in, OutputStream out) throws IOException;
}
