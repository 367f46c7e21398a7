package dev.socksbridge.proxy.protocol;

import java.io.IOException;

/**
 * The client broke the protocol. Carries the bytes to answer with before closing (the protocol's own
 * error reply, where it has one) and, for SOCKS5 requests, the REP code those bytes carry.
 *
 * <p>It has no stack trace: it describes the peer's input, not a fault in this code, and a flood of
 * garbage must stay cheap to reject.
 */
public class ProtocolException extends IOException {

    private static final byte[] NO_RESPONSE = new byte[0];

    private final byte[] response;
    private final int replyCode;

    /**
     * @param response  the bytes to send before closing; empty for "just close"
     * @param replyCode the reply code those bytes carry in the client's protocol (SOCKS5 REP, SOCKS4 CD,
     *                  HTTP status), or -1 if none
     */
    public ProtocolException(String message, byte[] response, int replyCode) {
        super(message);
        this.response = response.clone();
        this.replyCode = replyCode;
    }

    /** Nothing can be answered (wrong version, truncated frame): the connection is just closed. */
    public static ProtocolException closeOnly(String message) {
        return new ProtocolException(message, NO_RESPONSE, -1);
    }

    /** The greeting offered nothing acceptable: answer method 0xFF, then close. */
    public static ProtocolException noAcceptableMethod(String message) {
        return new ProtocolException(message, new MethodSelection(AuthMethod.NO_ACCEPTABLE).encode(), -1);
    }

    /** A request the server understood well enough to answer with a SOCKS5 reply code, then close. */
    public static ProtocolException withReply(String message, ReplyCode code) {
        return new ProtocolException(message, CommandReply.failure(code).encode(), code.code());
    }

    /** An RFC 1929 sub-negotiation that cannot succeed: answer a failure status, then close. */
    public static ProtocolException authFailure(String message) {
        return new ProtocolException(message, UserPassReply.FAILURE.encode(), -1);
    }

    /** The bytes to write before closing; empty when the protocol has no answer for this error. */
    public byte[] response() {
        return response.clone();
    }

    public boolean hasResponse() {
        return response.length > 0;
    }

    /** The reply code in {@link #response()} (SOCKS5 REP, SOCKS4 CD, HTTP status), or -1 when it carries none. */
    public int replyCode() {
        return replyCode;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
