package dev.socksbridge.agent.it;

import dev.socksbridge.agent.inventory.EventsReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Reads the agent's events file: flat JSON objects, one per line (parsed by the inventory's reader). */
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

    /** One line, with the agent's own strict reader of its schema (the inventory's). */
    static Map<String, Object> parse(String json) {
        return EventsReader.parse(json);
    }
}
