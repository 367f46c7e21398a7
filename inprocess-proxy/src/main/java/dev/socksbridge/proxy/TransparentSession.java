package dev.socksbridge.proxy;

import dev.socksbridge.proxy.protocol.ReplyCode;
import dev.socksbridge.proxy.spi.TransparentRoutes;
import java.net.InetSocketAddress;

/** Turns a pre-registered route into what a handshake would have produced; its answers go to the route. */
final class TransparentSession {

    private TransparentSession() {
    }

    static Negotiated negotiated(TransparentRoutes.Route route) {
        InetSocketAddress to = route.destination();
        String host = to.isUnresolved() ? to.getHostString() : to.getAddress().getHostAddress();
        return new Negotiated(Protocol.TRANSPARENT, Command.CONNECT, new Destination(host, to.getPort()), null, false,
                new Replier() {
            @Override
            public void succeeded(InetSocketAddress bound) {
                route.connected(bound);
            }

            @Override
            public void failed(ReplyCode code) {
                route.failed(code);
            }
        });
    }
}
