package dev.socksbridge.proxy.route;

import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.Dialer;
import java.io.IOException;
import java.net.Socket;

/** The destination itself, through the server's {@link Dialer}. */
final class Direct implements RouteAction {

    static final Direct INSTANCE = new Direct();

    private Direct() {
    }

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
