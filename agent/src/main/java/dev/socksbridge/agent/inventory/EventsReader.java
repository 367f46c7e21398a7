package dev.socksbridge.agent.inventory;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one place the inventory knows the {@code events=} JSON Lines schema (README.md): reads files line
 * by line into {@link EgressEvent}s, and turns a map with the schema's keys (the agent's live events) into
 * one. A line that is not a JSON object with the schema's required keys is skipped and counted, never fatal.
 */
public final class EventsReader {

    private long read;
    private long skipped;
    private String firstSkipped;

    /** Reads every line of {@code file}, handing each good event to {@code sink}. */
    public void read(Path file, Consumer<EgressEvent> sink) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                EgressEvent event;
                try {
                    event = event(new FlatJson(line).object());
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    skip(file + ":" + number + ": " + e.getMessage());
                    continue;
                }
                read++;
                sink.accept(event);
            }
        }
    }

    private void skip(String where) {
        skipped++;
        if (firstSkipped == null) {
            firstSkipped = where;
        }
    }

    public long eventsRead() {
        return read;
    }

    public long linesSkipped() {
        return skipped;
    }

    /** Where the first skipped line was and why, or null. */
    public String firstSkipped() {
        return firstSkipped;
    }

    /**
     * The event a map with the schema's keys describes (the adapter between the schema and the inventory).
     *
     * @throws IllegalArgumentException when a required key is missing or has the wrong type
     */
    public static EgressEvent event(Map<String, ?> f) {
        return new EgressEvent(
                number(f, "id", true),
                instant(f),
                text(f, "route", true),
                text(f, "protocol", false),
                text(f, "command", true),
                text(f, "target_host", true),
                (int) number(f, "target_port", false),
                text(f, "resolved", false),
                text(f, "outcome", true),
                number(f, "bytes_up", false),
                number(f, "bytes_down", false),
                number(f, "duration_ms", false),
                text(f, "policy", true),
                text(f, "caller_class", false),
                text(f, "caller_method", false),
                text(f, "caller_file", false),
                (int) number(f, "caller_line", false),
                text(f, "thread", false),
                text(f, "failure", false));
    }

    private static long instant(Map<String, ?> f) {
        String start = text(f, "start", true);
        try {
            return Instant.parse(start).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("start: '" + start + "' (expected: an ISO-8601 UTC instant)");
        }
    }

    private static String text(Map<String, ?> f, String key, boolean required) {
        Object value = f.get(key);
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException(key + " missing (expected: a string)");
            }
            return null;
        }
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException(key + ": " + value + " (expected: a string)");
        }
        return s;
    }

    private static long number(Map<String, ?> f, String key, boolean required) {
        Object value = f.get(key);
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException(key + " missing (expected: a number)");
            }
            return -1;
        }
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException(key + ": " + value + " (expected: a number)");
        }
        return n.longValue();
    }

    /** A strict parser for one flat JSON object (strings, numbers, booleans, null): all the schema uses. */
    private static final class FlatJson {
        private final String s;
        private int pos;

        FlatJson(String s) {
            this.s = s;
        }

        Map<String, Object> object() {
            Map<String, Object> map = new HashMap<>();
            space();
            expect('{');
            space();
            if (!consume('}')) {
                do {
                    space();
                    String key = string();
                    space();
                    expect(':');
                    space();
                    map.put(key, value());
                    space();
                } while (consume(','));
                expect('}');
            }
            space();
            if (pos != s.length()) {
                throw new IllegalArgumentException("text after the object at column " + (pos + 1));
            }
            return map;
        }

        private Object value() {
            char c = s.charAt(pos);
            if (c == '"') {
                return string();
            }
            for (String word : new String[] {"null", "true", "false"}) {
                if (s.startsWith(word, pos)) {
                    pos += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = pos;
            while (pos < s.length() && "-0123456789.eE+".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            try {
                return Long.parseLong(s.substring(start, pos));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad value at column " + (start + 1) + " (expected: a string,"
                        + " an integer, true, false or null)");
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e + " at column " + pos);
                }
            }
        }

        private void space() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private boolean consume(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!consume(c)) {
                throw new IllegalArgumentException("expected '" + c + "' at column " + (pos + 1));
            }
        }
    }
}
