package dev.socksbridge.proxy;

import dev.socksbridge.proxy.protocol.ReplyCode;
import dev.socksbridge.proxy.protocol.Socks4Command;
import dev.socksbridge.proxy.protocol.Socks4Reply;
import dev.socksbridge.proxy.protocol.Socks4Request;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/**
 * SOCKS4 and SOCKS4a: one request, no authentication (USERID is reported, not checked: SOCKS4 has no
 * password, so a server with {@code Credentials} rejects SOCKS4 clients with CD 0x5B).
 */
final class Socks4Handshake implements Handshake {

    private final boolean authenticationRequired;

    Socks4Handshake(boolean authenticationRequired) {
        this.authenticationRequired = authenticationRequired;
    }

    @Override
    public Protocol protocol() {
        return Protocol.SOCKS4;
    }

    @Override
    public Negotiated negotiate(HandshakeInput in, OutputStream out) throws IOException {
        Socks4Request request = Socks4Request.decode(in);
        if (authenticationRequired) {
            throw new AuthenticationFailedException("SOCKS4 cannot authenticate (user id \"" + request.userId()
                    + "\") and this server requires a password", Socks4Reply.rejected().encode(), Socks4Reply.REJECTED);
        }
        String user = request.userId().isEmpty() ? null : request.userId();
        InetSocketAddress dst = request.destination();
        return new Negotiated(request.isSocks4a() ? Protocol.SOCKS4A : Protocol.SOCKS4,
                request.command() == Socks4Command.BIND ? Command.BIND : Command.CONNECT,
                new Destination(dst.getHostString(), dst.getPort()), user, false, new Socks4Replier(out));
    }

    /** Every failure is CD 0x5B: SOCKS4 has no finer codes (0x5C/0x5D are about identd). */
    private static final class Socks4Replier implements Replier {
        private final OutputStream out;

        Socks4Replier(OutputStream out) {
            this.out = out;
        }

        @Override
        public void succeeded(InetSocketAddress bound) throws IOException {
            out.write(Socks4Reply.granted(bound).encode());
        }

        @Override
        public void failed(ReplyCode code) throws IOException {
            out.write(Socks4Reply.rejected().encode());
        }

        @Override
        public int codeFor(ReplyCode code) {
            return code == ReplyCode.SUCCEEDED ? Socks4Reply.GRANTED : Socks4Reply.REJECTED;
        }
    }
}
