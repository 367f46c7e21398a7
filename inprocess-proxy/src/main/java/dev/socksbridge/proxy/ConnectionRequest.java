package dev.socksbridge.proxy;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One client's request, as seen by a {@link ConnectionPolicy} and a {@link Dialer}: the session id
 * (the same as in its {@link ConnectionEvent}s), the client's address (the agent keys its caller tags by
 * the client port), the protocol and command, and the destination as the client named it.
 */
public record ConnectionRequest(
        long id, InetSocketAddress client, Protocol protocol, Command command, Destination destination) {

    public ConnectionRequest {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(destination, "destination");
    }
}
