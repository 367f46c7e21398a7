package dev.socksbridge.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame.OutputType;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;

/**
 * The README's demo, inside a container: demo-app with {@code -javaagent:} the shaded agent jar on its
 * command line and nothing else changed. Asserts what a user reads (the agent's tagged connection lines,
 * the app's refusal for the denied partner, the summary) and what a tool reads (the events file).
 */
@Testcontainers(disabledWithoutDocker = true)
class DemoInContainerIT {
    private static final Path AGENT_JAR = Path.of(System.getProperty("socksbridge.agent.jar",
            "../agent/target/socksbridge-agent.jar"));
    private static final Path DEMO_JAR = Path.of(System.getProperty("socksbridge.demo.jar",
            "../demo-app/target/demo-app.jar"));
    private static final String EVENTS = "/tmp/events.jsonl";
    private static final String OPTIONS = "include-loopback=true,mode=enforce,deny=127.0.0.2,events=" + EVENTS
            + ",summary=on";
    private static final int ROUNDS = 2;

    private static String stdout;
    private static String stderr;
    private static List<Map<String, String>> events;
    private static DemoTargets targets;

    @BeforeAll
    static void runTheDemoInAContainer() {
        assertTrue(Files.isRegularFile(AGENT_JAR), AGENT_JAR.toAbsolutePath() + " missing: build through the reactor (mvn verify)");
        assertTrue(Files.isRegularFile(DEMO_JAR), DEMO_JAR.toAbsolutePath() + " missing: build through the reactor (mvn verify)");
        try (GenericContainer<?> demo = new GenericContainer<>(TestImages.jdk())
                .withCopyFileToContainer(MountableFile.forHostPath(AGENT_JAR), "/socksbridge/socksbridge-agent.jar")
                .withCopyFileToContainer(MountableFile.forHostPath(DEMO_JAR), "/socksbridge/demo-app.jar")
                .withCommand("java", "-javaagent:/socksbridge/socksbridge-agent.jar=" + OPTIONS,
                        "-jar", "/socksbridge/demo-app.jar", "--loop", String.valueOf(ROUNDS))
                // start() returns once the JVM has exited with 0; any other exit fails it, with the logs.
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(3)))) {
            demo.start();
            stdout = demo.getLogs(OutputType.STDOUT);
            stderr = demo.getLogs(OutputType.STDERR);
            events = demo.copyFileFromContainer(EVENTS, in -> new String(in.readAllBytes(), UTF_8))
                    .lines().map(JsonFields::parse).toList();
        }
        targets = DemoTargets.from(stdout);
    }

    @Test
    void theAppRunsUnchangedExceptForTheDeniedPartner() { // and payments.demo.invalid: no route here
        assertTrue(stdout.contains("demo-app: " + ROUNDS * 9 + " calls, " + ROUNDS * 6 + " ok, " + ROUNDS * 3 + " failed"), stdout);
        assertLines(stdout, "demo \\[\\d\\.7] denied-partner +127\\.0\\.0\\.2:\\d+ +failed: "
                + "java\\.net\\.ConnectException: Connection not allowed by ruleset \\(socksbridge policy, mode=enforce\\) .*", ROUNDS);
        assertLines(stdout, "demo \\[\\d\\.1] socket .* ok: echoed 17 bytes .*", ROUNDS);
        assertLines(stdout, "demo \\[\\d\\.2] http-url-connection .* ok: HTTP 200, .*", ROUNDS);
    }

    @Test
    void everyProxiedConnectionIsLoggedWithItsCaller() {
        assertLines(stderr, "socksbridge conn#\\d+ CONNECT 127\\.0\\.0\\.1:" + targets.tcpEcho() + " -> 127\\.0\\.0\\.1:"
                + targets.tcpEcho() + " ok up=17B down=17B \\d+ms caller=dev\\.socksbridge\\.demo\\.SocketCall\\.call\\(SocketCall\\.java:\\d+\\) thread=main", ROUNDS);
        assertLines(stderr, "socksbridge conn#\\d+ CONNECT 127\\.0\\.0\\.2:" + targets.partner() + " -> - denied .* policy=denied "
                + "caller=dev\\.socksbridge\\.demo\\.SocketCall\\.call\\(SocketCall\\.java:\\d+\\) .*", ROUNDS);
        assertLines(stderr, "socksbridge conn#\\d+ CONNECT 127\\.0\\.0\\.1:" + targets.http() + " -> .* ok .* "
                + "caller=dev\\.socksbridge\\.demo\\.UrlConnectionCall\\.call\\(UrlConnectionCall\\.java:\\d+\\) .*", ROUNDS);
        assertLines(stderr, "socksbridge conn#\\d+ CONNECT 127\\.0\\.0\\.1:" + targets.closedPort() + " -> - refused .*", ROUNDS);
    }

    @Test
    void theExitSummaryHasOneRowPerDestination() {
        assertLines(stderr, "socksbridge summary +destination +conns +up +down +callers +failures", 1);
        // Only the Socket call goes to the partner; the echo server is also called over NIO, which
        // may or may not be counted depending on what the agent hooks, so its row is only required.
        assertLines(stderr, "socksbridge summary +127\\.0\\.0\\.1:" + targets.tcpEcho() + " +\\d+ .*", 1);
        assertLines(stderr, "socksbridge summary +127\\.0\\.0\\.2:" + targets.partner() + " +" + ROUNDS + " +0B +0B +1 +" + ROUNDS, 1);
    }

    @Test
    void theEventsFileHasEachConnectionWithCallerBytesAndOutcome() {
        List<Map<String, String>> echo = eventsTo(targets.tcpEcho()).stream()
                .filter(e -> "dev.socksbridge.demo.SocketCall".equals(e.get("caller_class"))).toList();
        assertEquals(ROUNDS, echo.size(), events::toString);
        for (Map<String, String> event : echo) {
            assertEquals("proxy", event.get("route"), event::toString);
            assertEquals("ok", event.get("outcome"), event::toString);
            assertEquals("17", event.get("bytes_up"), event::toString);
            assertEquals("17", event.get("bytes_down"), event::toString);
            assertEquals("call", event.get("caller_method"), event::toString);
            assertEquals("SocketCall.java", event.get("caller_file"), event::toString);
            assertTrue(event.get("caller_line").matches("\\d+"), event::toString);
            assertEquals("main", event.get("thread"), event::toString);
        }
        for (Map<String, String> event : eventsTo(targets.partner())) {
            assertEquals("denied", event.get("outcome"), event::toString);
            assertEquals("2", event.get("reply_code"), "SOCKS REP 0x02, not allowed by ruleset: " + event);
            assertEquals("127.0.0.2", event.get("target_host"), event::toString);
            assertEquals("dev.socksbridge.demo.SocketCall", event.get("caller_class"), "the caller that tried: " + event);
        }
        for (Map<String, String> event : eventsTo(targets.closedPort())) {
            assertEquals("refused", event.get("outcome"), event::toString);
            assertEquals("5", event.get("reply_code"), "SOCKS REP 0x05, connection refused: " + event);
        }
        List<Map<String, String>> http = eventsTo(targets.http());
        assertTrue(http.stream().anyMatch(e -> "dev.socksbridge.demo.UrlConnectionCall".equals(e.get("caller_class"))
                && "ok".equals(e.get("outcome")) && Long.parseLong(e.get("bytes_down")) > 0), http::toString);
        assertEquals(ROUNDS, eventsTo(targets.partner()).size(), events::toString);
        assertEquals(ROUNDS, eventsTo(targets.closedPort()).size(), events::toString);
    }

    private static List<Map<String, String>> eventsTo(int port) {
        return events.stream().filter(e -> String.valueOf(port).equals(e.get("target_port"))).toList();
    }

    private static void assertLines(String output, String regex, int expected) {
        Pattern pattern = Pattern.compile(regex);
        long count = output.lines().filter(line -> pattern.matcher(line).matches()).count();
        assertEquals(expected, count, () -> "lines matching " + regex + " in:\n" + output);
    }
}
