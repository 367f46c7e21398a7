package dev.socksbridge.proxy.spi;

import java.net.InetSocketAddress;

/**
 * Names the caller behind a session: called once per session on its thread, after the handshake and
 * before the policy; what it returns is the request context's {@code tag()}, which the policy, the
 * dialer and a router read. An in-process agent finds the application socket that is this client by
 * its port and records the caller here; that recording is this hook's purpose, so the policy can stay
 * a pure decision. Must be fast and thread-safe; a tagger that throws leaves the session untagged.
 */
@FunctionalInterface
public interface SessionTagger {

    /** Tags nothing. */
    SessionTagger NONE = (sessionId, client) -> null;

    /**
     * @param sessionId the id the session's events carry
     * @param client    the client's address (the agent keys its callers by the client port)
     * @return the tag, or {@code null} for none
     */
    Object tag(long sessionId, InetSocketAddress client);
}
