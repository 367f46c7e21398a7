package dev.socksbridge.it;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one flat JSON object of the agent's events file (strings without escaped quotes, numbers,
 * booleans, null) into name -> raw value: enough for assertions without a JSON library on the classpath.
 */
final class JsonFields {
    private static final Pattern FIELD = Pattern.compile("\"([a-z_]+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,}]*)");

    private JsonFields() {
    }

    static Map<String, String> parse(String line) {
        if (!line.startsWith("{") || !line.endsWith("}")) {
            throw new AssertionError("not a JSON object: " + line);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            fields.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
        }
        return fields;
    }
}
