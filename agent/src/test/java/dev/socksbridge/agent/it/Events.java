package dev.socksbridge.agent.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Reads the agent's events file: flat JSON objects, one per line (a strict little parser, enough for them). */
final class Events {

    private Events() {
    }

    static List<Map<String, Object>> read(Path file) throws IOException {
        List<Map<String, Object>> events = new ArrayList<>();
        if (!Files.exists(file)) {
            return events;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                events.add(parse(line));
            }
        }
        return events;
    }

    static Map<String, Object> only(List<Map<String, Object>> events, Predicate<Map<String, Object>> match,
            String what) {
        List<Map<String, Object>> found = events.stream().filter(match).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one event " + what + ", found " + found.size() + " in " + events);
        }
        return found.get(0);
    }

    static Map<String, Object> parse(String json) {
        Parser p = new Parser(json);
        Map<String, Object> object = p.object();
        p.skipSpace();
        if (p.pos != json.length()) {
            throw new IllegalArgumentException("trailing text in " + json);
        }
        return object;
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            expect('{');
            skipSpace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            do {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                map.put(key, value());
                skipSpace();
            } while (tryConsume(','));
            expect('}');
            return map;
        }

        Object value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (s.startsWith("null", pos)) {
                pos += 4;
                return null;
            }
            if (s.startsWith("true", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            int start = pos;
            while (pos < s.length() && "-0123456789.eE+".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            if (start == pos) {
                throw new IllegalArgumentException("bad value at " + pos + " in " + s);
            }
            return Long.parseLong(s.substring(start, pos));
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("raw control character in string: " + s);
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
                    default -> throw new IllegalArgumentException("bad escape in " + s);
                }
            }
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        char peek() {
            return s.charAt(pos);
        }

        boolean tryConsume(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        void expect(char c) {
            if (!tryConsume(c)) {
                throw new IllegalArgumentException("expected '" + c + "' at " + pos + " in " + s);
            }
        }
    }
}
