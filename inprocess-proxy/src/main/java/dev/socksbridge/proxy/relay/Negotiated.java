package dev.socksbridge.proxy.relay;

import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.Destination;
import java.util.Objects;

/** What a handshake produced: the command and destination to serve, and how to answer the client. */
public record Negotiated(Command command, Destination destination, Replier replier) {

    public Negotiated {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(replier, "replier");
    }
}
