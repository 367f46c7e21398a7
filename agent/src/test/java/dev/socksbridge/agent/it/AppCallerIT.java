package dev.socksbridge.agent.it;

import static dev.socksbridge.agent.it.ProbeSupport.probeValue;
import static dev.socksbridge.agent.it.ProbeSupport.runOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.it.support.PostgresCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real libraries open the socket in their own code: the caller is the library's frame, and every event
 * also names the app's own frame ({@code app_caller}, from the probe's package, the default
 * {@code app-packages=}) and its first frames ({@code stack-depth=}). The app's output is the same with and
 * without the agent. OkHttp 5 connects on its own task threads: the app's frame is handed over from the
 * thread that called {@code execute()}. A connection an {@code HttpClient} exchange opens later (a redirect, on a worker
 * thread) carries the caller of its {@code send}.
 */
class AppCallerIT {

    private static final String PROBE = "dev.socksbridge.probe.AppCallerProbeApp";
    private static final String PROBE_FRAME = PROBE + ".%s(AppCallerProbeApp.java:%s)";
    private static final int DEPTH = 4;

    private static PostgresCluster postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresCluster.start(); // skips the class, saying why, without PostgreSQL's binaries
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    static Stream<String> javas() {
        return Fixtures.javas().stream();
    }

    @ParameterizedTest
    @MethodSource("javas")
    void pgjdbcsConnectionNamesTheDriverAndTheAppsLine(String java) throws Exception {
        String scenario = "pg:" + postgres.url("");
        List<Map<String, Object>> events = runBoth(java, scenario, "pg");
        String app = PROBE_FRAME.formatted("pg", lineOf("pg"));
        for (Map<String, Object> event : events) {
            assertEquals("org.postgresql.core.PGStream", event.get("caller_class"), event.toString());
            assertEquals("createSocket", event.get("caller_method"), event.toString());
            assertEquals(app, event.get("app_caller"), event.toString());
            assertEquals((long) postgres.port(), event.get("target_port"), event.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("javas")
    void okHttpsConnectionNamesOkHttpAndTheAppsLine(String java) throws Exception {
        List<Map<String, Object>> events = runBoth(java, "okhttp", "okhttp");
        assertEquals("200", probeValue(last, "okhttp", "status"));
        String app = PROBE_FRAME.formatted("okhttp", lineOf("okhttp"));
        for (Map<String, Object> event : events) {
            assertTrue(((String) event.get("caller_class")).startsWith("okhttp3."), event.toString());
            assertTrue(((String) event.get("thread")).startsWith("OkHttp "), "OkHttp's own thread: " + event);
            assertEquals(app, event.get("app_caller"), event.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("javas")
    void anHttpClientRedirectsSecondConnectionCarriesTheSendCaller(String java) throws Exception {
        List<Map<String, Object>> events = runBoth(java, "redirect", "redirect");
        assertEquals("302", probeValue(last, "redirect", "previous"), "the first server redirected");
        assertEquals("/target", probeValue(last, "redirect", "path"));
        assertEquals(2, events.size(), "one connection to each server\n" + events);
        assertFalse(events.get(0).get("target_port").equals(events.get(1).get("target_port")), events.toString());
        String line = lineOf("redirect");
        for (Map<String, Object> event : events) {
            assertEquals(PROBE, event.get("caller_class"), event.toString());
            assertEquals("redirect", event.get("caller_method"), event.toString());
            assertEquals(Long.parseLong(line), event.get("caller_line"), event.toString());
            assertEquals(PROBE_FRAME.formatted("redirect", line), event.get("app_caller"), event.toString());
        }
    }

    /** The child run with the agent, kept for the probe's printed values. */
    private ChildJvm last;

    /**
     * Runs {@code scenario} with the agent and without: the same output both times, and every connect event
     * with the library's frame, the app's frame and a stack of {@link #DEPTH} frames starting at the caller.
     * Returns those connect events.
     */
    private List<Map<String, Object>> runBoth(String java, String scenario, String name) throws Exception {
        Path events = dir.resolve(name + ".jsonl");
        last = runOk(Fixtures.command(java, PROBE, "include-loopback=true,stack-depth=" + DEPTH + ",events=" + events,
                jars(), List.of(), scenario));
        ChildJvm plain = runOk(Fixtures.command(java, PROBE, null, jars(), List.of(), scenario));
        assertEquals(plain.stdoutLines(), last.stdoutLines(), "the app's output with the agent\n" + last.output());
        List<Map<String, Object>> connects = Events.read(events).stream()
                .filter(e -> "connect".equals(e.get("command"))).toList();
        assertFalse(connects.isEmpty(), "no connection recorded\n" + last.output());
        for (Map<String, Object> event : connects) {
            assertEquals("ok", event.get("outcome"), event.toString());
            String caller = event.get("caller_class") + "." + event.get("caller_method") + "("
                    + event.get("caller_file") + ":" + event.get("caller_line") + ")";
            assertTrue(event.get("stack") instanceof String, "the frames (stack-depth=) are there: " + event);
            List<String> stack = List.of(((String) event.get("stack")).split("\\|"));
            assertTrue(stack.size() >= 1 && stack.size() <= DEPTH, event.toString());
            assertEquals(caller, stack.get(0), "the stack starts at the caller: " + event);
            assertTrue(stack.stream().noneMatch(f -> f.startsWith("java.") || f.startsWith("jdk.")
                    || f.startsWith("dev.socksbridge.agent.")), event.toString());
            String logged = "caller=" + caller + (caller.equals(event.get("app_caller")) ? " thread="
                    : " app=" + event.get("app_caller") + " thread=");
            assertTrue(last.output().contains(logged), "the log line names both frames: " + logged + "\n"
                    + last.output());
        }
        return connects;
    }

    private String lineOf(String scenario) {
        return probeValue(last, scenario, "line");
    }

    private static List<String> jars() throws IOException {
        Path libs = Path.of(Fixtures.required("socksbridge.it.libs"), "appcaller");
        try (Stream<Path> jars = Files.list(libs)) {
            return jars.map(Path::toString).filter(name -> name.endsWith(".jar")).toList();
        }
    }
}
