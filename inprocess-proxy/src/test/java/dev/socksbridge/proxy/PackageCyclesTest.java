package dev.socksbridge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module's packages depend one way: {@code cli -> route -> proxy -> spi, protocol} and {@code spi -> protocol};
 * read off the main sources' imports and fully qualified names (no jdeps needed).
 */
class PackageCyclesTest {

    private static final Path MAIN = Path.of("src/main/java/dev/socksbridge/proxy");
    private static final Pattern REFERENCE = Pattern.compile("dev\\.socksbridge\\.proxy(\\.[a-z]+)?\\.[A-Z]");

    @Test
    void noPackageCycle() throws IOException {
        Map<String, Set<String>> uses = dependencies();
        assertTrue(uses.size() >= 4, "packages found: " + uses.keySet());
        for (String from : uses.keySet()) {
            for (String to : uses.get(from)) {
                assertFalse(reaches(uses, to, from, new TreeSet<>()),
                        "cycle: " + from + " -> " + to + " -> ... -> " + from + " in " + uses);
            }
        }
    }

    @Test
    void theWireFormatAndTheExtensionPointsDependOnNoOtherPackageOfTheServer() throws IOException {
        Map<String, Set<String>> uses = dependencies();
        assertEquals(Set.of(), uses.get("protocol"), "protocol is the wire format only");
        assertEquals(Set.of("protocol"), uses.get("spi"));
    }

    private static boolean reaches(Map<String, Set<String>> uses, String from, String target, Set<String> seen) {
        if (from.equals(target)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (String next : uses.getOrDefault(from, Set.of())) {
            if (reaches(uses, next, target, seen)) {
                return true;
            }
        }
        return false;
    }

    /** Package ("proxy" for the top one) to the other packages of this module its sources name. */
    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
        }
        for (Path source : sources) {
            Path dir = MAIN.relativize(source).getParent();
            String from = dir == null ? "proxy" : dir.toString();
            Set<String> to = uses.computeIfAbsent(from, k -> new TreeSet<>());
            Matcher reference = REFERENCE.matcher(Files.readString(source));
            while (reference.find()) {
                String name = reference.group(1) == null ? "proxy" : reference.group(1).substring(1);
                if (!name.equals(from)) {
                    to.add(name);
                }
            }
        }
        return uses;
    }
}
