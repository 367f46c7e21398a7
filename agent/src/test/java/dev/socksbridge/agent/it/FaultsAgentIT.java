package dev.socksbridge.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults in an unmodified app through the agent: the JDK's HttpClient and HttpURLConnection against a local
 * HTTP server, with {@code fault=} at start-up, then replaced by attaching again. Timings are compared with
 * an unfaulted destination in the same app.
 */
class FaultsAgentIT {

    private static final Pattern RESULT = Pattern.compile("RESULT#\\d+ (ok status=\\d+|failed exception=\\S+ message=.*) ms=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void latencySlowsOneDependencyUntilAnAttachReplacesItWithAReset() throws Exception {
        Path events = dir.resolve("events.jsonl");
        HttpServer slow = Fixtures.httpServer();
        HttpServer fast = Fixtures.httpServer();
        String slowUrl = "http://127.0.0.1:" + slow.getAddress().getPort() + "/";
        String fastUrl = "http://127.0.0.1:" + fast.getAddress().getPort() + "/";
        String latency = "fault=127.0.0.1:" + slow.getAddress().getPort() + "->latency latency=600 direction=down";
        try (ChildJvm app = ChildJvm.start(Fixtures.command(Fixtures.currentJava(), "dev.socksbridge.probe.FaultProbeApp",
                "include-loopback=true,summary=on,events=" + events + "," + latency, List.of(),
                List.of("-XX:+EnableDynamicAgentLoading")))) {
            String pid = awaitReady(app);
            long fastMs = okMillis(request(app, "http " + fastUrl + " 20000"));
            long slowMs = okMillis(request(app, "http " + slowUrl + " 20000"));
            assertTrue(slowMs - fastMs >= 400, "HttpClient: faulted " + slowMs + "ms, other " + fastMs + "ms");
            // The app's own timeout handling: a 200 ms request timeout now fires.
            assertTrue(request(app, "http " + slowUrl + " 200").contains("exception=java.net.http.HttpTimeoutException"),
                    app.output());

            ChildJvm attach = ChildJvm.start(List.of(Fixtures.currentJava(), "-jar", Fixtures.agentJar().toString(),
                    "attach", pid, "fault=127.0.0.1:" + slow.getAddress().getPort() + "->reset_peer timeout=0 direction=up"));
            assertEquals(0, attach.awaitExit(ProbeSupport.RUN_LIMIT), attach.output());
            assertTrue(app.awaitStderr(l -> l.contains("fault set replaced (1 fault(s)"), Duration.ofSeconds(30)).isPresent(),
                    app.output());
            String reset = request(app, "url " + slowUrl + " 20000");
            assertTrue(reset.contains("exception=java.net.SocketException message=Connection reset"), reset);
            long fastAgain = okMillis(request(app, "url " + fastUrl + " 20000"));
            assertTrue(fastAgain < slowMs, "the latency fault is gone: " + fastAgain + "ms");

            ChildJvm clear = ChildJvm.start(List.of(Fixtures.currentJava(), "-jar", Fixtures.agentJar().toString(),
                    "attach", pid, "summary=on"));
            assertEquals(0, clear.awaitExit(ProbeSupport.RUN_LIMIT), clear.output());
            assertTrue(app.awaitStderr(l -> l.contains("fault set replaced (0 fault(s)"), Duration.ofSeconds(30)).isPresent(),
                    app.output());
            okMillis(request(app, "url " + slowUrl + " 20000"));

            app.send("quit");
            assertEquals(0, app.awaitExit(ProbeSupport.RUN_LIMIT), app.output());
            List<Map<String, Object>> recorded = Events.read(events);
            assertTrue(recorded.stream().anyMatch(e -> "latency".equals(e.get("faults"))), recorded.toString());
            assertTrue(recorded.stream().anyMatch(e -> "reset_peer".equals(e.get("faults"))), recorded.toString());
            assertTrue(app.stderrLines().stream().anyMatch(l -> l.contains(" faults=latency")), app.output());
            assertTrue(app.stderrLines().stream().anyMatch(l -> l.startsWith("socksbridge summary  destination")
                    && l.endsWith("faulted")), app.output());
        } finally {
            slow.stop(0);
            fast.stop(0);
        }
    }

    @Test
    void aPatternMatchesTheHostNameTheAppUsedAndRefuseFailsLikeARefusedTarget() throws Exception {
        HttpServer http = Fixtures.httpServer();
        int port = http.getAddress().getPort();
        String url = "http://localhost:" + port + "/";
        try (ChildJvm app = ChildJvm.start(Fixtures.command(Fixtures.currentJava(), "dev.socksbridge.probe.FaultProbeApp",
                "include-loopback=true,fault=localhost:" + port + "->refuse", List.of(), List.of()))) {
            awaitReady(app);
            // Both clients resolve localhost themselves: the proxy gets an address, the agent knows the name.
            String channel = request(app, "http " + url + " 20000");
            assertTrue(channel.contains("exception=java.net.ConnectException"), channel);
            String socket = request(app, "url " + url + " 20000");
            assertTrue(socket.contains("exception=java.net.ConnectException message=Connection refused"), socket);
            app.send("quit");
            assertEquals(0, app.awaitExit(ProbeSupport.RUN_LIMIT), app.output());
            assertTrue(app.stderrLines().stream().filter(l -> l.contains(" refused ") && l.contains(" faults=refuse"))
                    .count() >= 2, app.output());
        } finally {
            http.stop(0);
        }
    }

    private static String request(ChildJvm app, String command) throws Exception {
        String tag = "RESULT#" + (app.stdoutLines().stream().filter(l -> l.startsWith("RESULT#")).count() + 1) + " ";
        app.send(command);
        return app.awaitStdout(l -> l.startsWith(tag), Duration.ofSeconds(60))
                .orElseThrow(() -> new AssertionError("no result for " + command + "\n" + app.output()));
    }

    private static long okMillis(String result) {
        Matcher m = RESULT.matcher(result);
        assertTrue(m.matches() && m.group(1).startsWith("ok status=200"), result);
        return Long.parseLong(m.group(2));
    }

    private static String awaitReady(ChildJvm app) throws Exception {
        String ready = app.awaitStdout(l -> l.startsWith("READY"), Duration.ofSeconds(60))
                .orElseThrow(() -> new AssertionError("probe not ready\n" + app.output()));
        return ready.split(" ")[1].substring("pid=".length());
    }
}
