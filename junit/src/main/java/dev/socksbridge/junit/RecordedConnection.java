package dev.socksbridge.junit;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.EventFormat;
import dev.socksbridge.proxy.Outcome;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One outbound connection made during a test, as socksbridge saw it. A connection still open when it is
 * read has {@link Outcome#OPEN} and a {@code null} duration; the test's {@link RecordedConnections} is
 * updated when it closes.
 *
 * @param id            socksbridge's connection id (per in-process server, or per agent)
 * @param route         {@code "proxy"}, or {@code "direct"} for a connection the agent saw but did not route
 * @param destination   where the code asked to go, with the host name it used when it had one
 * @param requested     the destination as it reached socksbridge (often the resolved IP literal);
 *                      equal to {@code destination} when the code's own name was passed on
 * @param reached       the address finally connected to, or {@code null} if none was
 * @param outcome       how it ended, or {@link Outcome#OPEN} while still open
 * @param replyCode     the SOCKS reply code the proxy sent, or -1
 * @param bytesUp       bytes sent by the code
 * @param bytesDown     bytes received by the code
 * @param start         when the connection was made
 * @param duration      how long it lasted; {@code null} while open
 * @param caller        the code that opened it ({@link CallSite#UNKNOWN} when it could not be told)
 * @param threadName    the connecting thread's name, or {@code null} when unknown
 * @param virtualThread whether that thread was a virtual thread
 * @param failure       a short reason when it failed, else {@code null}
 */
public record RecordedConnection(
        long id,
        String route,
        Destination destination,
        Destination requested,
        InetSocketAddress reached,
        Outcome outcome,
        int replyCode,
        long bytesUp,
        long bytesDown,
        Instant start,
        Duration duration,
        CallSite caller,
        String threadName,
        boolean virtualThread,
        String failure) {

    public RecordedConnection {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(caller, "caller");
    }

    /**
     * What a test sees of {@code event}, whose destination is the one the code named; {@code requested} is how it
     * reached socksbridge. Uncounted bytes read as 0, no reply as -1, and an open connection has no duration.
     */
    static RecordedConnection of(ConnectionEvent event, Destination requested, CallSite caller) {
        return new RecordedConnection(event.id(), event.route().label(), event.destination(), requested,
                event.reached(), event.outcome(), event.replyCode() == null ? -1 : event.replyCode(),
                event.bytesUp() == null ? 0 : event.bytesUp(), event.bytesDown() == null ? 0 : event.bytesDown(),
                event.start(), event.isClosed() ? event.duration() : null, caller, event.thread(),
                event.virtualThread(), event.failure());
    }

    public boolean isOpen() {
        return outcome == Outcome.OPEN;
    }

    /** The same connection with what its close told (outcome, bytes, duration...), keeping who made it. */
    RecordedConnection closedAs(RecordedConnection close) {
        return new RecordedConnection(close.id, route, destination, requested,
                close.reached != null ? close.reached : reached, close.outcome, close.replyCode,
                close.bytesUp, close.bytesDown, start, close.duration, caller, threadName, virtualThread,
                close.failure);
    }

    /**
     * One line, like the agent's log:
     * {@code #3 api.example.com:443 -> 93.184.216.34:443 ok up=512B down=4.1KiB 38ms caller=... thread=main}.
     */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder("#").append(id).append(' ').append(destination);
        if (reached != null) {
            line.append(" -> ").append(reached.getAddress() != null
                    ? reached.getAddress().getHostAddress() + ":" + reached.getPort() : reached.toString());
        } else if (!requested.equals(destination)) {
            line.append(" (as ").append(requested).append(')');
        }
        line.append(' ').append(outcome.label());
        if ("direct".equals(route)) {
            line.append(" route=direct");
        }
        line.append(" up=").append(EventFormat.bytes(bytesUp)).append(" down=").append(EventFormat.bytes(bytesDown));
        if (duration != null) {
            line.append(' ').append(duration.toMillis()).append("ms");
        }
        if (failure != null) {
            line.append(" (").append(failure).append(')');
        }
        line.append(" caller=").append(caller);
        if (threadName != null) {
            line.append(" thread=").append(threadName).append(virtualThread ? " (virtual)" : "");
        }
        return line.toString();
    }
}
