package dev.socksbridge.proxy.spi;

import dev.socksbridge.proxy.protocol.ReplyCode;
import java.net.InetSocketAddress;

/**
 * Destinations registered ahead of time by client port, for clients that speak no proxy protocol at all:
 * an in-process agent that redirected an application's channel to this server registers where the
 * channel really wanted to go, then the server relays there without a handshake. Consulted once per
 * accepted connection, before its first byte is read.
 */
@FunctionalInterface
public interface TransparentRoutes {

    /** No client is transparent: every session starts with a handshake. */
    TransparentRoutes NONE = new TransparentRoutes() { // a class, not a lambda: built before an agent's app starts (lambdas cost start-up, see docs/agent.md)
        @Override
        public Route route(InetSocketAddress client) {
            return null;
        }
    };

    /**
     * The route registered for this client address (normally looked up by its port and removed), or
     * {@code null} for a client that will speak a proxy protocol. Called on the session's thread, before
     * any byte is read; may wait briefly (bounded) for a registration made right after the client's
     * connect returned, which can arrive after the accept.
     */
    Route route(InetSocketAddress client);

    /** One registered destination and where its result goes (the client itself gets no reply bytes). */
    interface Route {

        /** Where to connect: an IP address (not resolved again) and port. */
        InetSocketAddress destination();

        /** The outbound connection is up; the relay starts right after. */
        void connected(InetSocketAddress reached);

        /** The session will not connect (policy, dial failure); the client is closed right after. */
        void failed(ReplyCode code);
    }
}
