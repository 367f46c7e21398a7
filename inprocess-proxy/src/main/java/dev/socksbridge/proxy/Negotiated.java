package dev.socksbridge.proxy;

import java.util.Objects;

/**
 * What a handshake produced: the protocol (SOCKS4a told apart from SOCKS4 by the request), the command
 * and destination to serve, who the client said it is, and how to answer it.
 *
 * @param user          the user name the client gave (never a password), or null
 * @param authenticated whether the server's credentials verified that user's password
 */
record Negotiated(Protocol protocol, Command command, Destination destination, String user, boolean authenticated,
        Replier replier) {

    Negotiated {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(replier, "replier");
    }
}
