package dev.socksbridge.proxy.relay;

import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.Protocol;
import dev.socksbridge.proxy.TransparentRoutes;
import dev.socksbridge.proxy.protocol.ReplyCode;
import java.net.InetSocketAddress;

/** Turns a pre-registered route into what a handshake would have produced; its answers go to the route. */
final class TransparentSession {

    private TransparentSession() {
    }

    static Negotiated negotiated(TransparentRoutes.Route route) {
        return new Negotiated(Command.CONNECT, route.destination(), new Replier() {
            @Override
            public void succeeded(InetSocketAddress bound) {
                route.connected(bound);
            }

            @Override
            public void failed(ReplyCode code) {
                route.failed(code);
            }
        }, Protocol.TRANSPARENT, null);
    }
}
