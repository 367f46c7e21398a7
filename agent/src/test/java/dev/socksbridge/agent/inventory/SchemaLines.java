package dev.socksbridge.agent.inventory;

import java.time.Instant;

/**
 * Events-file lines written by hand from the documented schema (README.md), so tests of the inventory
 * depend on the file format, not on the agent's record classes.
 */
public final class SchemaLines {

    private SchemaLines() {
    }

    /** A proxied connection; {@code resolved}, {@code failure} may be null. */
    public static String connection(long id, long startMillis, String host, int port, String resolved, String outcome,
            long up, long down, long millis, String policy, String callerClass, int callerLine, String failure) {
        return line(id, startMillis, "proxy", "socks5", "connect", host, String.valueOf(port), resolved, outcome,
                "0", String.valueOf(up), String.valueOf(down), millis, policy, callerClass, callerLine, failure);
    }

    /** A name lookup by {@code callerClass}. */
    public static String lookup(long id, long startMillis, String host, String addresses, String callerClass) {
        return line(id, startMillis, "direct", "dns", "resolve", host, "null", addresses, "ok", "null", "null", "null",
                2, "allowed", callerClass, 5, null);
    }

    private static String line(long id, long startMillis, String route, String protocol, String command, String host,
            String port, String resolved, String outcome, String replyCode, String up, String down, long millis,
            String policy, String callerClass, int callerLine, String failure) {
        return "{\"id\":" + id + ",\"start\":\"" + Instant.ofEpochMilli(startMillis) + "\",\"route\":\"" + route
                + "\",\"protocol\":\"" + protocol + "\",\"command\":\"" + command + "\",\"target_host\":\"" + host
                + "\",\"target_port\":" + port + ",\"resolved\":" + quoted(resolved) + ",\"outcome\":\"" + outcome
                + "\",\"reply_code\":" + replyCode + ",\"bytes_up\":" + up + ",\"bytes_down\":" + down
                + ",\"duration_ms\":" + millis + ",\"policy\":\"" + policy + "\",\"caller_class\":" + quoted(callerClass)
                + ",\"caller_method\":\"call\",\"caller_file\":\"Client.java\",\"caller_line\":" + callerLine
                + ",\"thread\":\"main\",\"virtual\":false,\"failure\":" + quoted(failure) + "}";
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
