package dev.socksbridge.agent.report;

import dev.socksbridge.agent.bootstrap.CallerTag;
import java.time.Instant;

/** One {@code events=} JSON object per finished connection, encoded by hand (the agent carries no JSON library). */
public final class JsonLine {

    private JsonLine() {
    }

    public static String format(ConnectionRecord r) {
        CallerTag c = r.caller();
        StringBuilder json = new StringBuilder(400).append('{');
        field(json, "id", r.id());
        field(json, "start", Instant.ofEpochMilli(r.startMillis()).toString());
        field(json, "route", r.route());
        field(json, "protocol", r.protocol());
        field(json, "command", r.command());
        field(json, "target_host", r.targetHost());
        field(json, "target_port", r.targetPort());
        field(json, "resolved", r.resolved());
        field(json, "outcome", r.outcome());
        field(json, "reply_code", r.replyCode() < 0 ? null : r.replyCode());
        field(json, "bytes_up", r.bytesUp() < 0 ? null : r.bytesUp());
        field(json, "bytes_down", r.bytesDown() < 0 ? null : r.bytesDown());
        field(json, "duration_ms", r.durationMillis());
        field(json, "policy", r.verdict());
        field(json, "caller_class", c == null ? null : c.callerClass());
        field(json, "caller_method", c == null ? null : c.callerMethod());
        field(json, "caller_file", c == null ? null : c.callerFile());
        field(json, "caller_line", c == null || c.callerLine() < 0 ? null : c.callerLine());
        field(json, "thread", c == null ? null : c.threadName());
        field(json, "virtual", c == null ? null : c.virtual());
        field(json, "failure", r.failure());
        json.setLength(json.length() - 1); // the last comma
        return json.append('}').toString();
    }

    private static void field(StringBuilder json, String name, Object value) {
        json.append('"').append(name).append("\":");
        if (value == null) {
            json.append("null");
        } else if (value instanceof Number || value instanceof Boolean) {
            json.append(value);
        } else {
            quote(json, value.toString());
        }
        json.append(',');
    }

    /** Appends a JSON string literal (RFC 8259): quotes, backslashes and control characters escaped. */
    static void quote(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (ch < 0x20 || ch == '\u2028' || ch == '\u2029') {
                        json.append(String.format("\\u%04x", (int) ch));
                    } else {
                        json.append(ch);
                    }
                }
            }
        }
        json.append('"');
    }
}
