package dev.socksbridge.proxy.route;

import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Dialer;
import java.io.IOException;
import java.net.Socket;
import java.util.List;

/**
 * What a route does with a connection: {@link #direct()}, {@link #block()}, {@link #redirect(Destination)}
 * to a stand-in, or {@link #through(List)} upstream hops. {@link #via()} names it for logs and events,
 * never with a password.
 */
public interface RouteAction {

    /**
     * Dials the request's destination this way. Failures are exceptions of the type a direct connect of the
     * same kind would throw (refused: {@link java.net.ConnectException}, ...), whose message names the hop
     * at fault; the server maps them to reply codes as for any {@link Dialer}.
     *
     * @param dialer makes the first TCP connection (to the destination, the stand-in or the first hop)
     */
    Socket dial(ConnectionRequest request, int connectTimeoutMillis, Dialer dialer) throws IOException;

    /** {@code direct}, {@code block}, the stand-in's {@code host:port}, or the hops separated by spaces. */
    String via();

    static RouteAction direct() {
        return Direct.INSTANCE;
    }

    /** Refuses the connection ("not allowed by ruleset"), whatever the policy said. */
    static RouteAction block() {
        return Block.INSTANCE;
    }

    /** Connects to {@code standIn} instead; the client still believes it reached its destination. */
    static RouteAction redirect(Destination standIn) {
        return new Redirect(standIn);
    }

    /** Through every hop in order, from the client outwards. */
    static RouteAction through(List<Hop> hops) {
        return new HopChain(hops);
    }
}
