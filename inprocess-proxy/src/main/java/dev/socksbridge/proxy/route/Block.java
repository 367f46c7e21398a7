package dev.socksbridge.proxy.route;

import dev.socksbridge.proxy.RouteAction;
import dev.socksbridge.proxy.ConnectionDeniedException;
import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.Dialer;
import java.net.Socket;

/** Refuses without dialing: the client gets "not allowed by ruleset" as for a policy denial. */
final class Block implements RouteAction {

    static final Block INSTANCE = new Block();

    private Block() {
    }

    @Override
    public Socket dial(ConnectionRequest request, int connectTimeoutMillis, Dialer dialer)
            throws ConnectionDeniedException {
        throw new ConnectionDeniedException("blocked by route");
    }

    @Override
    public String via() {
        return "block";
    }

    @Override
    public String toString() {
        return via();
    }
}
