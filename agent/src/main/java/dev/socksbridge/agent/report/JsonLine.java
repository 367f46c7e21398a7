package dev.socksbridge.agent.report;

import java.util.Map;

/** One {@code events=} JSON object per finished connection, encoded by hand (the agent carries no JSON library). */
public final class JsonLine {

    private JsonLine() {
    }

    public static String format(ConnectionRecord r) {
        StringBuilder json = new StringBuilder(400).append('{');
        for (Map.Entry<String, Object> field : EventMaps.fields(r).entrySet()) {
            field(json, field.getKey(), field.getValue());
        }
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
