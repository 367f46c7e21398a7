package dev.socksbridge.agent.report;

import dev.socksbridge.proxy.EventFormat;
import java.time.Duration;
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

    public static String format(ConnectionRecord r) {
        StringBuilder line = new StringBuilder(160);
        line.append("dns".equals(r.protocol()) ? "socksbridge dns#" : "socksbridge conn#").append(r.id()).append(' ')
                .append(r.command().toUpperCase(Locale.ROOT)).append(' ')
                .append(r.targetPort() < 0 ? r.targetHost() : r.target())
                .append(" -> ").append(r.resolved() == null ? "-" : r.resolved())
                .append(' ').append(r.outcome());
        if (r.bytesUp() >= 0) {
            line.append(" up=").append(EventFormat.bytes(r.bytesUp()))
                    .append(" down=").append(EventFormat.bytes(r.bytesDown()));
        }
        line.append(' ').append(EventFormat.duration(Duration.ofMillis(r.durationMillis())));
        if ("direct".equals(r.route())) {
            line.append(" route=direct");
        }
        if (!ConnectionRecord.ALLOWED.equals(r.verdict())) {
            line.append(" policy=").append(r.verdict());
        }
        if (r.caller() != null) {
            line.append(" caller=").append(r.caller().callerText())
                    .append(" thread=").append(r.caller().threadName().isEmpty() ? "\"\"" : r.caller().threadName());
            if (r.caller().virtual()) {
                line.append(" (virtual)");
            }
        } else {
            line.append(" caller=external");
        }
        if (r.faults() != null) {
            line.append(" faults=").append(r.faults());
        }
        if (r.failure() != null && !r.succeeded()) {
            line.append(" reason=\"").append(r.failure()).append('"');
        }
        return line.toString();
    }
}
