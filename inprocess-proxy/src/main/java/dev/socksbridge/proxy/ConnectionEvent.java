package dev.socksbridge.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one session, sent to every {@link ConnectionListener} when it opens and when it closes.
 *
 * @param id            unique per server, increasing; the same in the open and close event
 * @param protocol      the wire protocol the client spoke
 * @param command       what it asked for; {@code null} when the session failed before a request was read
 * @param client        the client's address (its port identifies the client socket)
 * @param destination   the destination as the client named it; {@code null} before a request was read
 * @param reached       the address the proxy actually connected to; {@code null} if it never connected
 * @param outcome       {@link Outcome#OPEN} in the open event, how it ended in the close event
 * @param replyCode     the reply code sent to the client in its protocol (SOCKS5 REP, SOCKS4 CD such as 0x5A,
 *                      or the HTTP status), or -1 if none was sent
 * @param bytesUp       bytes relayed client to target
 * @param bytesDown     bytes relayed target to client
 * @param start         when the client connection was accepted
 * @param connectTime   how long the outbound connect took; {@code null} if it never connected
 * @param duration      total session time; {@code null} in the open event
 * @param failure       a short reason when the session failed (never contains credentials), else {@code null}
 * @param user          the user name the client gave (RFC 1929, SOCKS4 USERID, HTTP Basic), never a
 *                      password; {@code null} if none
 * @param datagramsUp   UDP ASSOCIATE: datagrams relayed client to target ({@code bytesUp} counts their data)
 * @param datagramsDown UDP ASSOCIATE: datagrams relayed target to client ({@code bytesDown} counts their data)
 * @param datagramsDropped UDP ASSOCIATE: datagrams not relayed (fragments, denied by the policy, malformed,
 *                      unresolvable destination, or from an address that is not the client's)
 * @param faults        the fault types that acted on the connection ({@code latency}, {@code reset_peer}, ...;
 *                      see {@link dev.socksbridge.proxy.fault.Fault}), in a fixed order; empty if none
 */
public record ConnectionEvent(
        long id,
        Protocol protocol,
        Command command,
        InetSocketAddress client,
        Destination destination,
        InetSocketAddress reached,
        Outcome outcome,
        int replyCode,
        long bytesUp,
        long bytesDown,
        Instant start,
        Duration connectTime,
        Duration duration,
        String failure,
        String user,
        long datagramsUp,
        long datagramsDown,
        long datagramsDropped,
        List<String> faults) {

    public ConnectionEvent {
        faults = faults == null ? List.of() : List.copyOf(faults);
    }

    /** The event without the faults that touched it (the shape before faults). */
    public ConnectionEvent(long id, Protocol protocol, Command command, InetSocketAddress client,
            Destination destination, InetSocketAddress reached, Outcome outcome, int replyCode, long bytesUp,
            long bytesDown, Instant start, Duration connectTime, Duration duration, String failure, String user,
            long datagramsUp, long datagramsDown, long datagramsDropped) {
        this(id, protocol, command, client, destination, reached, outcome, replyCode, bytesUp, bytesDown, start,
                connectTime, duration, failure, user, datagramsUp, datagramsDown, datagramsDropped, List.of());
    }

    /** The event without user and datagram counts (the shape before SOCKS4, HTTP CONNECT and UDP). */
    public ConnectionEvent(long id, Protocol protocol, Command command, InetSocketAddress client,
            Destination destination, InetSocketAddress reached, Outcome outcome, int replyCode, long bytesUp,
            long bytesDown, Instant start, Duration connectTime, Duration duration, String failure) {
        this(id, protocol, command, client, destination, reached, outcome, replyCode, bytesUp, bytesDown, start,
                connectTime, duration, failure, null, 0, 0, 0, List.of());
    }

    public boolean isClosed() {
        return outcome != Outcome.OPEN;
    }
}
