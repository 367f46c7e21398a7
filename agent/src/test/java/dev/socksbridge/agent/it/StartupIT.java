package dev.socksbridge.agent.it;

import static dev.socksbridge.agent.it.ProbeSupport.assertCaller;
import static dev.socksbridge.agent.it.ProbeSupport.runOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent costs a JVM's start: with {@code hook-cache=} the first JVM stores the rewritten socket
 * classes and the next one installs them without Byte Buddy; a cache whose contents the JVM refuses is
 * thrown away, never the hooks; and nothing the agent runs before {@code main} makes a lambda (each is a
 * class spun at run time). The cost itself is measured by {@code agent/bench/startup.sh}, not here.
 */
class StartupIT {

    @RegisterExtension
    static final LoopbackTargets TARGETS = new LoopbackTargets();

    @TempDir
    Path dir;

    @Test
    void theSecondJvmHooksFromTheCacheWithoutLoadingByteBuddy() throws Exception {
        Path cache = dir.resolve("hooks");
        List<String> first = run(cache, "first");
        assertTrue(first.stream().anyMatch(line -> line.contains("shaded.net.bytebuddy")), "first JVM rewrites");
        assertTrue(cachedSocket(cache).isPresent(), "java.net.Socket is stored: " + listing(cache));

        List<String> second = run(cache, "second");
        assertFalse(second.stream().anyMatch(line -> line.contains("shaded.net.bytebuddy")),
                "no Byte Buddy class loads in the second JVM");
    }

    @Test
    void theAgentMakesNoLambdaBeforeMain() throws Exception {
        Path cache = dir.resolve("hooks");
        for (String name : List.of("fill", "warm")) {
            List<String> loaded = run(cache, name);
            int main = indexOf(loaded, " dev.socksbridge.probe.ProbeApp ");
            List<String> lambdas = loaded.subList(0, main).stream()
                    .filter(line -> line.contains("socksbridge") && line.contains("$$Lambda")).toList();
            assertEquals(List.of(), lambdas, name + " start");
        }
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + part + "' among " + lines.size());
    }

    @Test
    void aCacheTheJvmRefusesIsDiscardedAndTheHooksStillWork() throws Exception {
        Path cache = dir.resolve("hooks");
        run(cache, "first");
        for (Path file : listing(cache)) {
            Files.write(file, "not a class".getBytes(StandardCharsets.UTF_8));
        }
        run(cache, "corrupt"); // asserts the connection is still recorded with its caller
        assertEquals(List.of(), listing(cache), "the refused contents are gone");
        run(cache, "again");
        assertTrue(cachedSocket(cache).isPresent(), "stored afresh by the next JVM: " + listing(cache));
    }

    /** One probe run with the cache; asserts its socket connection was proxied and named; its class loads. */
    private List<String> run(Path cache, String name) throws Exception {
        Path events = dir.resolve(name + ".jsonl");
        Path classes = dir.resolve(name + "-classes.txt");
        ChildJvm child = runOk(Fixtures.probe(Fixtures.currentJava(),
                "include-loopback=true,hook-cache=" + cache + ",events=" + events,
                List.of(), List.of("-Xlog:class+load:file=" + classes), "socket:" + TARGETS.echoPort()));
        Map<String, Object> socket = Events.only(Events.read(events), e -> true, "the socket");
        assertEquals("proxy", socket.get("route"), socket.toString());
        assertCaller(socket, "plainSocket", child, "socket");
        return Files.readAllLines(classes);
    }

    private static java.util.Optional<Path> cachedSocket(Path cache) throws IOException {
        return listing(cache).stream().filter(f -> f.getFileName().toString().startsWith("java.net.Socket-")).findFirst();
    }

    private static List<Path> listing(Path cache) throws IOException {
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
