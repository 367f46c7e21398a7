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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
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

    @ParameterizedTest
    @MethodSource("javas")
    void anHttp2ConnectionTheServerEndedIsReplacedWithTheNextSendsCaller(String java) throws Exception {
        http2Twice(java, "h2goaway", 0);
    }

    @ParameterizedTest
    @MethodSource("javas")
    void anHttp2RequestRefusedByGoawayIsRetriedOnANewConnectionWithItsSendsCaller(String java) throws Exception {
        http2Twice(java, "h2refused", 2); // one refusal in each run, with the agent and without
    }

    @ParameterizedTest
    @MethodSource("javas")
    void anHttp2SendAsyncRefusedByGoawayIsRetriedOnANewConnectionWithItsCaller(String java) throws Exception {
        List<Map<String, Object>> events = http2Twice(java, "h2refusedasync", 2);
        assertTrue(((String) events.get(1).get("thread")).startsWith("HttpClient-"), events.toString());
    }

    /**
     * Runs {@code scenario} (two sends of one HTTP/2 client) against an {@link Http2TlsServer}: both answered
     * over HTTP/2, on two connections, the first with the first send's caller, the second with the second's.
     * The server refused {@code refusals} requests in all. Returns the two connect events, in the order they
     * were opened. A JDK whose {@code HttpClient} fails
     * every stream of a connection that receives GOAWAY (before JDK 24, JDK-8335181) fails the app's request
     * without the agent: then it must fail the same way with it, and the test says the rest was not tested.
     */
    private List<Map<String, Object>> http2Twice(String java, String scenario, int refusals) throws Exception {
        try (Http2TlsServer h2 = Http2TlsServer.start(dir)) {
            String run = scenario + ":" + h2.port();
            List<String> trust = List.of("-Djavax.net.ssl.trustStore=" + h2.trustStore(),
                    "-Djavax.net.ssl.trustStorePassword=" + Http2TlsServer.PASSWORD);
            assumeJdkRetriesAfterGoaway(java, run, trust);
            int refusedBefore = h2.refusals();
            List<Map<String, Object>> events = new ArrayList<>(runBoth(java, run, scenario, trust));
            String answered = "200:HTTP_2:" + Fixtures.HTTP_BODY;
            assertEquals(answered, probeValue(last, scenario, "first"), last.output());
            assertEquals(answered, probeValue(last, scenario, "second"), last.output());
            assertEquals(2, events.size(), "a new connection for the second request\n" + events);
            events.sort(Comparator.comparing(e -> (Long) e.get("id")));
            for (int i = 0; i < 2; i++) {
                Map<String, Object> event = events.get(i);
                String line = probeValue(last, scenario, "line" + (i + 1));
                assertEquals((long) h2.port(), event.get("target_port"), event.toString());
                assertEquals(PROBE, event.get("caller_class"), event.toString());
                assertEquals("http2Twice", event.get("caller_method"), event.toString());
                assertEquals(Long.parseLong(line), event.get("caller_line"), "send #" + (i + 1) + ": " + event);
                assertEquals(PROBE_FRAME.formatted("http2Twice", line), event.get("app_caller"), event.toString());
            }
            assertEquals(refusals, h2.refusals() - refusedBefore, "requests the server refused with GOAWAY");
            return events;
        }
    }

    /** Skips (saying why) on a JDK whose HttpClient fails the request on GOAWAY, after checking the agent does not change that. */
    private void assumeJdkRetriesAfterGoaway(String java, String run, List<String> jvmArgs) throws Exception {
        ChildJvm plain = ChildJvm.start(Fixtures.command(java, PROBE, null, jars(), jvmArgs, run));
        int exit = plain.awaitExit(ProbeSupport.RUN_LIMIT);
        if (exit == 0 || !plain.output().contains(": GOAWAY received")) {
            return;
        }
        ChildJvm agent = ChildJvm.start(Fixtures.command(java, PROBE, "include-loopback=true", jars(), jvmArgs, run));
        assertEquals(exit, agent.awaitExit(ProbeSupport.RUN_LIMIT), agent.output());
        assertEquals(plain.stdoutLines(), agent.stdoutLines(), agent.output());
        assertTrue(agent.stderrLines().stream().anyMatch(l -> l.matches(
                "Exception in thread \"main\" (java.util.concurrent.CompletionException: )?"
                        + "java.io.IOException: /127.0.0.1:\\d+: GOAWAY received")),
                "the same failure with the agent\n" + agent.output());
        Assumptions.abort("NOT TESTED on " + java + ": its HttpClient fails every stream of a connection that "
                + "receives GOAWAY (JDK-8335181, fixed in JDK 24), with and without the agent, so no second connection");
    }

    /** The child run with the agent, kept for the probe's printed values. */
    private ChildJvm last;

    /**
     * Runs {@code scenario} with the agent and without: the same output both times, and every connect event
     * with the library's frame, the app's frame and a stack of {@link #DEPTH} frames starting at the caller.
     * Returns those connect events.
     */
    private List<Map<String, Object>> runBoth(String java, String scenario, String name) throws Exception {
        return runBoth(java, scenario, name, List.of());
    }

    private List<Map<String, Object>> runBoth(String java, String scenario, String name, List<String> jvmArgs)
            throws Exception {
        Path events = dir.resolve(name + ".jsonl");
        last = runOk(Fixtures.command(java, PROBE, "include-loopback=true,stack-depth=" + DEPTH + ",events=" + events,
                jars(), jvmArgs, scenario));
        ChildJvm plain = runOk(Fixtures.command(java, PROBE, null, jars(), jvmArgs, scenario));
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
