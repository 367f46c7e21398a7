package dev.socksbridge.proxy.relay;

import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Protocol;
import java.util.Objects;

/**
 * What a handshake produced: the command and destination to serve, and how to answer the client.
 *
 * @param protocol the protocol when the request itself tells it (SOCKS4a vs SOCKS4), else null for the
 *                 handshake's own
 * @param user     the user name the client gave (never a password), or null
 */
public record Negotiated(Command command, Destination destination, Replier replier, Protocol protocol, String user) {

    public Negotiated {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(replier, "replier");
    }

    public Negotiated(Command command, Destination destination, Replier replier) {
        this(command, destination, replier, null, null);
    }
}
