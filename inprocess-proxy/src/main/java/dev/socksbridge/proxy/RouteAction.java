package dev.socksbridge.proxy;

import java.io.IOException;
import java.net.Socket;

/**
 * What a route does with a connection: {@link #direct()}, or (parsed by
 * the route package's {@code RouteTable}) {@code block}, a stand-in, or upstream hops. {@link #via()} names it for logs and events,
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

    /** The destination itself, through the server's {@link Dialer}. */
    static RouteAction direct() {
        return DirectRoute.INSTANCE;
    }
}

/** {@link RouteAction#direct()}. */
enum DirectRoute implements RouteAction {
    INSTANCE;

    @Override
    public Socket dial(ConnectionRequest request, int connectTimeoutMillis, Dialer dialer) throws IOException {
        return dialer.dial(request, connectTimeoutMillis);
    }

    @Override
    public String via() {
        return "direct";
    }

    @Override
    public String toString() {
        return via();
    }
}
