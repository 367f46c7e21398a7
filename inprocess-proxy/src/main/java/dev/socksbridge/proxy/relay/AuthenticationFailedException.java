package dev.socksbridge.proxy.relay;

import dev.socksbridge.proxy.protocol.ProtocolException;

/** The client offered no acceptable method or wrong credentials; carries the protocol's refusal. */
public final class AuthenticationFailedException extends ProtocolException {

    public AuthenticationFailedException(String message, byte[] response) {
        super(message, response, -1);
    }
}
