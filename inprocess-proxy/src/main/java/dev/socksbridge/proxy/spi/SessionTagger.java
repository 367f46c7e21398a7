package dev.socksbridge.proxy.spi;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Names the caller behind a session: called once per session on its thread, after the handshake and
 * before the policy; what it returns is the request context's {@code tag()}, which the policy, the
 * dialer and a router read. An in-process agent finds the application socket that is this client by
 * its port and records the caller here; that recording is this hook's purpose, so the policy can stay
 * a pure decision. Must be fast and thread-safe; a tagger that throws leaves the session untagged.
 *
 * <p>The two default methods let an in-process agent give its app what a direct connect would: the
 * app's own connect timeout for the dial, and the dial's exception (the proxy runs in the app's JVM, so
 * its dial failure is the one the JDK throws for that destination).
 */
@FunctionalInterface
public interface SessionTagger {

    /** Tags nothing. */
    SessionTagger NONE = new SessionTagger() { // a class, not a lambda: built before an agent's app starts (lambdas cost start-up, see docs/agent.md)
        @Override
        public Object tag(long sessionId, InetSocketAddress client) {
            return null;
        }
    };

    /**
     * @param sessionId the id the session's events carry
     * @param client    the client's address (the agent keys its callers by the client port)
     * @return the tag, or {@code null} for none
     */
    Object tag(long sessionId, InetSocketAddress client);

    /**
     * The connect timeout of this session's dial, in milliseconds (0: none). Called once per CONNECT with a
     * non-null tag, on the session's thread; a tagger that throws leaves the server's timeout.
     *
     * @param serverMillis the server's own connect timeout, returned by default
     */
    default int connectTimeoutMillis(Object tag, int serverMillis) {
        return serverMillis;
    }

    /**
     * This tagged session will not connect, and {@code failure} is what a direct connect failing the same
     * way throws: the dial's own exception when the server dialed the destination itself, else (a fault, a
     * hop, a stand-in, a block route) {@code ReplyCodes.exceptionFor} its reply code; a
     * {@code ConnectionDeniedException} (the server's package) when the policy denied it. Called on the
     * session's thread before the client is answered; what it throws is ignored.
     */
    default void dialFailed(Object tag, IOException failure) {
    }
}
