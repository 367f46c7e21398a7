package dev.socksbridge.agent.report;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.ConnectionEvent.Route;
import dev.socksbridge.proxy.ConnectionEvent.Verdict;
import dev.socksbridge.proxy.EventFormat;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Protocol;
import java.util.Locale;

/**
 * The one-line, human-readable form of a finished connection, e.g.
 * {@code socksbridge conn#12 CONNECT api.example.com:443 -> 93.184.216.34:443 ok up=512B down=4.1KiB 38ms
 * caller=com.acme.Billing.charge(Billing.java:88) thread=main}. Byte counts and durations use the proxy's
 * {@link EventFormat} so the agent and the standalone proxy print them alike; the rest differs on purpose:
 * the host is the one the app named (not the address the JDK sent), and the caller and route are added.
 */
public final class LogLine {

    private LogLine() {
    }

    public static String format(ConnectionEvent r) {
        String resolved = EventFormat.resolved(r);
        StringBuilder line = new StringBuilder(160);
        line.append(r.protocol() == Protocol.DNS ? "socksbridge dns#" : "socksbridge conn#").append(r.id()).append(' ')
                .append(r.command().label().toUpperCase(Locale.ROOT)).append(' ')
                .append(r.destination() != null ? r.destination().toString() : r.lookup().host())
                .append(" -> ").append(resolved == null ? "-" : resolved)
                .append(' ').append(r.outcome().label());
        if (r.bytesUp() != null) {
            line.append(" up=").append(EventFormat.bytes(r.bytesUp()))
                    .append(" down=").append(EventFormat.bytes(r.bytesDown()));
        }
        line.append(' ').append(EventFormat.duration(r.duration()));
        if (r.route() == Route.DIRECT) {
            line.append(" route=direct");
        }
        if (r.via() != null && !"direct".equals(r.via())) {
            line.append(" via=\"").append(r.via()).append('"');
        }
        if (r.policy() != null && r.policy() != Verdict.ALLOWED) {
            line.append(" policy=").append(r.policy().label());
        }
        line.append(" caller=").append(caller(r));
        if (r.appCaller() != null && (r.caller() == null || !r.appCaller().equals(r.caller().toString()))) {
            line.append(" app=").append(r.appCaller());
        }
        if (r.thread() != null) {
            line.append(" thread=").append(r.thread().isEmpty() ? "\"\"" : r.thread());
            if (r.virtualThread()) {
                line.append(" (virtual)");
            }
        }
        if (!r.faults().isEmpty()) {
            line.append(" faults=").append(String.join(",", r.faults()));
        }
        if (r.failure() != null && (r.outcome() != Outcome.OK || r.policy() == Verdict.WOULD_DENY)) {
            line.append(" reason=\"").append(r.failure()).append('"');
        }
        return line.toString();
    }

    /** The caller frame, {@code unknown} when none was found, {@code external} for another process's client. */
    static String caller(ConnectionEvent r) {
        return r.thread() == null ? "external" : r.caller() == null ? "unknown" : r.caller().toString();
    }
}
