package dev.socksbridge.proxy.route;

import dev.socksbridge.proxy.UpstreamAuthenticationException;
import dev.socksbridge.proxy.ConnectionDeniedException;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.HostPattern;
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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The client side of RFC 1928 CONNECT (with RFC 1929 when the hop has credentials), over a socket already
 * connected to the hop. A host name is sent as a name (ATYP 0x03), so the hop resolves it.
 */
final class Socks5Upstream {

    private Socks5Upstream() {
    }

    /**
     * @throws UpstreamRefusal the hop answered CONNECT with a failure (wraps the matching exception)
     * @throws UpstreamAuthenticationException the hop refused the credentials or accepts none of the methods
     */
    static void connect(Socket socket, Hop hop, Destination next) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        Greeting greeting = hop.hasCredentials()
                ? new Greeting(AuthMethod.NO_AUTHENTICATION.code(), AuthMethod.USERNAME_PASSWORD.code())
                : new Greeting(AuthMethod.NO_AUTHENTICATION.code());
        out.write(greeting.encode());
        out.flush();
        AuthMethod method = MethodSelection.decode(in).method();
        if (method == AuthMethod.USERNAME_PASSWORD && hop.hasCredentials()) {
            authenticate(in, out, hop);
        } else if (method != AuthMethod.NO_AUTHENTICATION) {
            throw new UpstreamAuthenticationException("accepts none of the offered methods ("
                    + (hop.hasCredentials() ? "none, username/password" : "none; give user:pass@ if it needs them")
                    + "), it chose " + method);
        }
        out.write(new CommandRequest(CommandType.CONNECT, address(next)).encode());
        out.flush();
        ReplyCode reply = CommandReply.decode(in).reply();
        if (!reply.isSuccess()) {
            throw new UpstreamRefusal(failure(reply));
        }
    }

    private static void authenticate(InputStream in, OutputStream out, Hop hop) throws IOException {
        out.write(new UserPassRequest(hop.user(), hop.password().getBytes(StandardCharsets.UTF_8)).encode());
        out.flush();
        UserPassReply reply = UserPassReply.decode(in);
        if (!reply.isSuccess()) {
            throw new UpstreamAuthenticationException("authentication failed for user " + hop.user()
                    + " (RFC 1929 status 0x" + Integer.toHexString(reply.status()) + ")");
        }
    }

    /** An IP literal as an address, anything else as a name for the hop to resolve. */
    static Socks5Address address(Destination next) {
        byte[] literal = HostPattern.ipLiteral(next.host());
        if (literal == null) {
            return Socks5Address.domain(next.host(), next.port());
        }
        return literal.length == 4 ? Socks5Address.ipv4(literal, next.port()) : Socks5Address.ipv6(literal, next.port());
    }

    /** The exception a direct connect failing this way would throw. */
    private static IOException failure(ReplyCode reply) {
        String text = String.format("REP 0x%02x %s", reply.code(), reply.description());
        switch (reply) {
            case NOT_ALLOWED: return new ConnectionDeniedException(text);
            case NETWORK_UNREACHABLE:
            case HOST_UNREACHABLE:
                return new NoRouteToHostException(text);
            case CONNECTION_REFUSED: return new ConnectException(text);
            case TTL_EXPIRED: return new SocketTimeoutException(text);
            default: return new IOException(text);
        }
    }
}
