package dev.socksbridge.proxy.route;

import dev.socksbridge.proxy.RouteAction;
import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Dialer;
import java.io.IOException;
import java.net.Socket;
import java.util.Objects;

/**
 * A stand-in instead of the destination. The client's own socket is connected to the proxy, so it still
 * shows the destination it asked for; only the event's {@code reached} shows the stand-in.
 */
final class Redirect implements RouteAction {

    private final Destination standIn;

    Redirect(Destination standIn) {
        this.standIn = Objects.requireNonNull(standIn, "standIn");
    }

    @Override
    public Socket dial(ConnectionRequest request, int connectTimeoutMillis, Dialer dialer) throws IOException {
        return dialer.dial(Hops.requestTo(request, standIn), connectTimeoutMillis);
    }

    @Override
    public String via() {
        return standIn.toString();
    }

    @Override
    public String toString() {
        return via();
    }
}
