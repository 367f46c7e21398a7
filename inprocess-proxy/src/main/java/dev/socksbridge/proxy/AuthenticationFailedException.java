package dev.socksbridge.proxy;

import dev.socksbridge.proxy.protocol.ProtocolException;

/** The client offered no acceptable method or wrong credentials; carries the protocol's refusal. */
final class AuthenticationFailedException extends ProtocolException {

    public AuthenticationFailedException(String message, byte[] response) {
        super(message, response, -1);
    }

    /** @param replyCode the code {@code response} carries in the client's protocol (HTTP 407, SOCKS4 0x5B) */
    public AuthenticationFailedException(String message, byte[] response, int replyCode) {
        super(message, response, replyCode);
    }
}
