package dev.socksbridge.proxy.relay;

import dev.socksbridge.proxy.Credentials;
import dev.socksbridge.proxy.Protocol;
import dev.socksbridge.proxy.protocol.AuthMethod;
import dev.socksbridge.proxy.protocol.CommandReply;
import dev.socksbridge.proxy.protocol.CommandRequest;
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

    private final Credentials credentials;

    /** @param credentials null for no authentication */
    Socks5Handshake(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Protocol protocol() {
        return Protocol.SOCKS5;
    }

    @Override
    public Negotiated negotiate(HandshakeInput in, OutputStream out) throws IOException {
        Greeting greeting = Greeting.decode(in);
        AuthMethod method = credentials == null ? AuthMethod.NO_AUTHENTICATION : AuthMethod.USERNAME_PASSWORD;
        if (!greeting.offers(method)) {
            throw new AuthenticationFailedException("no acceptable method: client offered "
                    + java.util.Arrays.toString(greeting.methods()) + ", server requires " + method.code(),
                    NONE_ACCEPTABLE);
        }
        out.write(credentials == null ? NO_AUTH : USER_PASS);
        String user = credentials == null ? null : authenticate(in, out);
        CommandRequest request = CommandRequest.decode(in);
        return new Negotiated(request.command().command(), request.destination().toDestination(),
                new Socks5Replier(out), null, user);
    }

    /** Returns the authenticated user name. */
    private String authenticate(HandshakeInput in, OutputStream out) throws IOException {
        UserPassRequest login = UserPassRequest.decode(in);
        String user = login.username();
        if (!credentials.verify(user, login.password())) {
            throw new AuthenticationFailedException("authentication failed for user \"" + user + "\"",
                    UserPassReply.FAILURE.encode());
        }
        out.write(UserPassReply.SUCCESS.encode());
        return user;
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
