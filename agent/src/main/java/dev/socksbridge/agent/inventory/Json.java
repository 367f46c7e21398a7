package dev.socksbridge.agent.inventory;

import java.util.Collection;
import java.util.Map;

/** A small JSON writer for the report's data block (the agent carries no JSON library). */
final class Json {

    private final StringBuilder out = new StringBuilder(1 << 16);
    private boolean needComma;

    Json begin() {
        comma();
        out.append('{');
        needComma = false;
        return this;
    }

    Json end() {
        out.append('}');
        needComma = true;
        return this;
    }

    Json beginArray(String key) {
        key(key);
        out.append('[');
        needComma = false;
        return this;
    }

    Json beginArray() {
        comma();
        out.append('[');
        needComma = false;
        return this;
    }

    Json endArray() {
        out.append(']');
        needComma = true;
        return this;
    }

    Json beginObject(String key) {
        key(key);
        out.append('{');
        needComma = false;
        return this;
    }

    Json field(String key, String value) {
        key(key);
        string(value);
        needComma = true;
        return this;
    }

    Json field(String key, long value) {
        key(key);
        out.append(value);
        needComma = true;
        return this;
    }

    Json value(long value) {
        comma();
        out.append(value);
        needComma = true;
        return this;
    }

    Json strings(String key, Collection<String> values) {
        beginArray(key);
        for (String value : values) {
            comma();
            string(value);
            needComma = true;
        }
        return endArray();
    }

    Json counts(String key, Map<String, Long> values) {
        beginObject(key);
        values.forEach(this::field);
        return end();
    }

    private void key(String key) {
        comma();
        string(key);
        out.append(':');
        needComma = false;
    }

    private void comma() {
        if (needComma) {
            out.append(',');
        }
    }

    /**
     * A JSON string that is also safe inside an HTML {@code <script>} block: {@code <}, {@code >} and
     * {@code &} are escaped too, so no value can close the block or start a comment.
     */
    private void string(String s) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&' || ch == '\u2028' || ch == '\u2029') {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
