package dev.socksbridge.agent.report;

import java.util.Locale;

/**
 * The one-line, human-readable form of a finished connection, e.g.
 * {@code socksbridge conn#12 CONNECT api.example.com:443 -> 93.184.216.34:443 ok up=512B down=4.1KiB 38ms
 * caller=com.acme.Billing.charge(Billing.java:88) thread=main}.
 */
public final class LogLine {

    private LogLine() {
    }

    public static String format(ConnectionRecord r) {
        StringBuilder line = new StringBuilder(160);
        line.append("socksbridge conn#").append(r.id()).append(' ')
                .append(r.command().toUpperCase(Locale.ROOT)).append(' ').append(r.target())
                .append(" -> ").append(r.resolved() == null ? "-" : r.resolved())
                .append(' ').append(r.outcome());
        if (r.bytesUp() >= 0) {
            line.append(" up=").append(bytes(r.bytesUp())).append(" down=").append(bytes(r.bytesDown()));
        }
        line.append(' ').append(r.durationMillis()).append("ms");
        if ("direct".equals(r.route())) {
            line.append(" route=direct");
        }
        if (!ConnectionRecord.ALLOWED.equals(r.verdict())) {
            line.append(" policy=").append(r.verdict());
        }
        if (r.caller() != null) {
            line.append(" caller=").append(r.caller().callerText())
                    .append(" thread=").append(r.caller().threadName());
            if (r.caller().virtual()) {
                line.append(" (virtual)");
            }
        } else {
            line.append(" caller=external");
        }
        if (r.failure() != null && !r.succeeded()) {
            line.append(" reason=\"").append(r.failure()).append('"');
        }
        return line.toString();
    }

    /** {@code 512B}, {@code 4.1KiB}, {@code 3.0MiB}, {@code 1.2GiB}. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + "B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f%s", value, units[unit]);
    }
}
