package dev.socksbridge.proxy;

import dev.socksbridge.proxy.protocol.AuthMethod;
import dev.socksbridge.proxy.protocol.CommandReply;
import dev.socksbridge.proxy.protocol.CommandRequest;
import dev.socksbridge.proxy.protocol.CommandType;
import dev.socksbridge.proxy.protocol.Greeting;
import dev.socksbridge.proxy.protocol.MethodSelection;
import dev.socksbridge.proxy.protocol.ReplyCode;
import dev.socksbridge.proxy.protocol.Socks5Address;
import dev.socksbridge.proxy.protocol.UserPassReply;
import dev.socksbridge.proxy.protocol.UserPassRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/** RFC 1928 greeting and method selection, RFC 1929 authentication when configured, then the request. */
final class Socks5Handshake implements Handshake {

    private static final byte[] NO_AUTH = new MethodSelection(AuthMethod.NO_AUTHENTICATION).encode();
    private static final byte[] USER_PASS = new MethodSelection(AuthMethod.USERNAME_PASSWORD).encode();
    private static final byte[] NONE_ACCEPTABLE = new MethodSelection(AuthMethod.NO_ACCEPTABLE).encode();

    private final Logins logins;

    Socks5Handshake(Logins logins) {
        this.logins = logins;
    }

    @Override
    public Protocol protocol() {
        return Protocol.SOCKS5;
    }

    @Override
    public Negotiated negotiate(HandshakeInput in, OutputStream out) throws IOException {
        Greeting greeting = Greeting.decode(in);
        AuthMethod method = logins.required() ? AuthMethod.USERNAME_PASSWORD : AuthMethod.NO_AUTHENTICATION;
        if (!greeting.offers(method)) {
            throw new AuthenticationFailedException("no acceptable method: client offered "
                    + java.util.Arrays.toString(greeting.methods()) + ", server requires " + method.code(),
                    NONE_ACCEPTABLE);
        }
        out.write(logins.required() ? USER_PASS : NO_AUTH);
        UserPassRequest login = logins.required() ? UserPassRequest.decode(in) : null;
        boolean authenticated = login != null && logins.check(login.username(), login.password(),
                () -> new AuthenticationFailedException("authentication failed for user \"" + login.username() + "\"",
                        UserPassReply.FAILURE.encode()));
        if (login != null) {
            out.write(UserPassReply.SUCCESS.encode());
        }
        CommandRequest request = CommandRequest.decode(in);
        Socks5Address dst = request.destination();
        return new Negotiated(Protocol.SOCKS5, command(request.command()), new Destination(dst.host(), dst.port()),
                login == null ? null : login.username(), authenticated, new Socks5Replier(out));
    }

    private static Command command(CommandType type) {
        switch (type) {
            case BIND: return Command.BIND;
            case UDP_ASSOCIATE: return Command.UDP_ASSOCIATE;
            default: return Command.CONNECT;
        }
    }

    /** Writes the SOCKS5 reply in one write. */
    private static final class Socks5Replier implements Replier {
        private final OutputStream out;

        Socks5Replier(OutputStream out) {
            this.out = out;
        }

        @Override
        public void succeeded(InetSocketAddress bound) throws IOException {
            out.write(new CommandReply(ReplyCode.SUCCEEDED, Socks5Address.of(bound)).encode());
        }

        @Override
        public void failed(ReplyCode code) throws IOException {
            out.write(CommandReply.failure(code).encode());
        }
    }
}
