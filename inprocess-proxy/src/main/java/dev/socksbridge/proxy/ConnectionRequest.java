package dev.socksbridge.proxy;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The request context: everything known about one client's request once its handshake is done, built
 * once per session and read by the {@link ConnectionPolicy}, the {@link Dialer} and a router. It never
 * holds a password.
 *
 * @param id            the session id, the same as in its {@link ConnectionEvent}s
 * @param client        the client's address
 * @param protocol      the protocol it spoke
 * @param command       what it asked for
 * @param destination   where it asked to go, as it named it (for a UDP association's datagram, that
 *                      datagram's destination)
 * @param user          the user name it gave (RFC 1929, HTTP Basic, SOCKS4 USERID), or null
 * @param authenticated whether the server's {@code Credentials} verified {@code user}'s password
 * @param tag           what an extension's {@code SessionTagger} attached (an agent's caller), or null
 */
public record ConnectionRequest(long id, InetSocketAddress client, Protocol protocol, Command command,
        Destination destination, String user, boolean authenticated, Object tag) {

    public ConnectionRequest {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(destination, "destination");
        if (authenticated && user == null) {
            throw new IllegalArgumentException("authenticated: true without a user (expected: a user name)");
        }
    }

    /** A request without user or tag. */
    public ConnectionRequest(long id, InetSocketAddress client, Protocol protocol, Command command,
            Destination destination) {
        this(id, client, protocol, command, destination, null, false, null);
    }

    /** This request with another destination (a UDP association's datagram). */
    public ConnectionRequest withDestination(Destination where) {
        return new ConnectionRequest(id, client, protocol, command, where, user, authenticated, tag);
    }
}
