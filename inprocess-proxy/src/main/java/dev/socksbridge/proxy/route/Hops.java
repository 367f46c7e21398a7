package dev.socksbridge.proxy.route;

import dev.socksbridge.proxy.UpstreamAuthenticationException;
import dev.socksbridge.proxy.ConnectionDeniedException;
import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.Destination;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/** What the route actions share: requests re-aimed at a hop, and failures re-worded with the hop at fault. */
final class Hops {

    private Hops() {
    }

    /** The request, aimed at {@code where} (a stand-in or the first hop), for the server's dialer. */
    static ConnectionRequest requestTo(ConnectionRequest request, Destination where) {
        return new ConnectionRequest(request.id(), request.client(), request.protocol(), request.command(), where);
    }

    /**
     * A new exception of the same kind as {@code failure} (so the reply code and the client's exception stay
     * those of a direct connect failing the same way), with {@code message}.
     */
    static IOException sameKind(IOException failure, String message) {
        IOException reworded;
        if (failure instanceof ConnectionDeniedException) {
            reworded = new ConnectionDeniedException(message);
        } else if (failure instanceof UnknownHostException) {
            reworded = new UnknownHostException(message);
        } else if (failure instanceof NoRouteToHostException) {
            reworded = new NoRouteToHostException(message);
        } else if (failure instanceof ConnectException) {
            reworded = new ConnectException(message);
        } else if (failure instanceof SocketTimeoutException) {
            reworded = new SocketTimeoutException(message);
        } else if (failure instanceof UpstreamAuthenticationException) {
            reworded = new UpstreamAuthenticationException(message);
        } else {
            return new IOException(message, failure);
        }
        reworded.initCause(failure);
        return reworded;
    }

    /** {@code "Connection refused"}, or the exception's simple name when it has no message. */
    static String reason(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
