package dev.socksbridge.proxy;

import dev.socksbridge.proxy.protocol.BasicCredentials;
import dev.socksbridge.proxy.protocol.HttpRequestHead;
import dev.socksbridge.proxy.protocol.HttpResponse;
import dev.socksbridge.proxy.protocol.ReplyCode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/**
 * {@code CONNECT host:port HTTP/1.1}: reads the request head (up to 16 KiB), checks
 * {@code Proxy-Authorization: Basic} against the same {@link Credentials} as RFC 1929, and answers
 * {@code 200} once the target is connected. Any other method gets 405: plain-HTTP forwarding of
 * absolute-form requests is not done (it would need a full HTTP/1.1 message parser for keep-alive and
 * chunked bodies).
 */
final class HttpConnectHandshake implements Handshake {

    private final Logins logins;

    HttpConnectHandshake(Logins logins) {
        this.logins = logins;
    }

    @Override
    public Protocol protocol() {
        return Protocol.HTTP_CONNECT;
    }

    @Override
    public Negotiated negotiate(HandshakeInput in, OutputStream out) throws IOException {
        HttpRequestHead head = HttpRequestHead.decode(in, HttpRequestHead.DEFAULT_MAX_BYTES); // 405 unless CONNECT
        InetSocketAddress authority = head.authority();
        Destination destination = new Destination(authority.getHostString(), authority.getPort());
        BasicCredentials login = logins.required() ? login(head) : null;
        boolean authenticated = login != null && logins.check(login.username(), login.password(),
                () -> new AuthenticationFailedException("authentication failed for user \"" + login.username() + "\"",
                        HttpResponse.proxyAuthenticationRequired(), 407));
        return new Negotiated(Protocol.HTTP_CONNECT, Command.CONNECT, destination,
                login == null ? null : login.username(), authenticated, new HttpReplier(out));
    }

    /** The Basic credentials the request carries; throws (407) when it carries none. */
    private static BasicCredentials login(HttpRequestHead head) throws AuthenticationFailedException {
        String header = head.header("Proxy-Authorization");
        BasicCredentials basic = BasicCredentials.parse(header);
        if (basic == null) {
            throw new AuthenticationFailedException(header == null ? "no Proxy-Authorization header"
                    : "Proxy-Authorization: not Basic user:password", HttpResponse.proxyAuthenticationRequired(), 407);
        }
        return basic;
    }

    private static final class HttpReplier implements Replier {
        private final OutputStream out;

        HttpReplier(OutputStream out) {
            this.out = out;
        }

        @Override
        public void succeeded(InetSocketAddress bound) throws IOException {
            out.write(HttpResponse.established());
        }

        @Override
        public void failed(ReplyCode code) throws IOException {
            int status = HttpResponse.statusFor(code);
            out.write(HttpResponse.error(status, "socksbridge: " + code.description()));
        }

        @Override
        public int codeFor(ReplyCode code) {
            return HttpResponse.statusFor(code);
        }
    }
}
