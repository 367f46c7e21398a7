package dev.socksbridge.agent.it;

import static dev.socksbridge.agent.it.ProbeSupport.assertCaller;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar socksbridge-agent.jar attach <pid>} into a running probe, and {@code list}. */
class AttachIT {

    @TempDir
    Path dir;

    @Test
    void attachedAgentCapturesConnectionsMadeAfterwards() throws Exception {
        Path events = dir.resolve("events.jsonl");
        try (ServerSocket echo = Fixtures.echoServer();
             ChildJvm app = ChildJvm.start(Fixtures.probe(Fixtures.currentJava(), null, List.of(),
                     List.of("-XX:+EnableDynamicAgentLoading"), "--wait", "socket:" + echo.getLocalPort()))) {
            String pid = awaitReady(app);

            ChildJvm list = ChildJvm.start(cli("list"));
            assertEquals(0, list.awaitExit(ProbeSupport.RUN_LIMIT), list.output());
            assertTrue(list.stdoutLines().stream().anyMatch(l -> l.startsWith(pid + " ")), list.output());

            ChildJvm attach = ChildJvm.start(cli("attach", pid, "include-loopback=true,events=" + events));
            assertEquals(0, attach.awaitExit(ProbeSupport.RUN_LIMIT), attach.output());

            app.send("go");
            assertEquals(0, app.awaitExit(ProbeSupport.RUN_LIMIT), app.output());
            Map<String, Object> socket = Events.only(Events.read(events), e -> true, "for the socket");
            assertEquals("proxy", socket.get("route"));
            assertEquals(1000L, socket.get("bytes_down"));
            assertCaller(socket, "plainSocket", app, "socket");
            assertTrue(app.stderrLines().stream().noneMatch(l -> l.contains("WARNING")), app.output());
        }
    }

    @Test
    void attachingToAJvmThatAlreadyRunsTheAgentOnlyReplacesItsFaults() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Path second = dir.resolve("second.jsonl");
        try (ServerSocket echo = Fixtures.echoServer();
             ChildJvm app = ChildJvm.start(Fixtures.probe(Fixtures.currentJava(), "include-loopback=true,events=" + events,
                     List.of(), List.of("-XX:+EnableDynamicAgentLoading"), "--wait", "socket:" + echo.getLocalPort()))) {
            String pid = awaitReady(app);
            ChildJvm attach = ChildJvm.start(cli("attach", pid, "include-loopback=true,events=" + second));
            assertEquals(0, attach.awaitExit(ProbeSupport.RUN_LIMIT), attach.output());

            app.send("go");
            assertEquals(0, app.awaitExit(ProbeSupport.RUN_LIMIT), app.output());
            assertEquals(1, app.stderrLines().stream()
                    .filter(l -> l.contains("agent already running in this JVM; fault set replaced (0 fault(s): []);"
                            + " the other options keep their first values until a restart")).count(),
                    app.output());
            assertEquals(1, Events.read(events).size(), "the first agent reports the socket, once\n" + app.output());
            assertFalse(Files.exists(second), "the second start opened nothing\n" + app.output());
        }
    }

    @Test
    void anAppThatAlreadyUsedHttpClientGetsTheCallerOfSendAsyncAfterTheAttach() throws Exception {
        Path events = dir.resolve("events.jsonl");
        HttpServer http = Fixtures.httpServer();
        try (ChildJvm app = ChildJvm.start(Fixtures.command(Fixtures.currentJava(),
                "dev.socksbridge.probe.NioProbeApp", null, List.of(), List.of("-XX:+EnableDynamicAgentLoading"),
                "--wait", "httpasync:127.0.0.1:" + http.getAddress().getPort()))) {
            String pid = awaitReady(app);
            ChildJvm attach = ChildJvm.start(cli("attach", pid, "include-loopback=true,events=" + events));
            assertEquals(0, attach.awaitExit(ProbeSupport.RUN_LIMIT), attach.output());

            app.send("go");
            assertEquals(0, app.awaitExit(ProbeSupport.RUN_LIMIT), app.output());
            Map<String, Object> async = Events.only(Events.read(events), e -> true, "for sendAsync");
            assertEquals("proxy", async.get("route"), async.toString());
            assertCaller(async, "NioProbeApp", "httpAsync", app, "httpasync", "line");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void nettyEpollAlreadyInUseIsCapturedAfterTheAttach() throws Exception {
        Path events = dir.resolve("events.jsonl");
        try (ServerSocket echo = Fixtures.echoServer();
             ChildJvm app = ChildJvm.start(Fixtures.command(Fixtures.currentJava(), "dev.socksbridge.probe.NettyProbeApp",
                     null, NioAgentIT.nettyJars(), List.of("-XX:+EnableDynamicAgentLoading"), "--wait",
                     "epoll:127.0.0.1:" + echo.getLocalPort()))) {
            String pid = awaitReady(app);
            ChildJvm attach = ChildJvm.start(cli("attach", pid, "include-loopback=true,events=" + events));
            assertEquals(0, attach.awaitExit(ProbeSupport.RUN_LIMIT), attach.output());

            app.send("go");
            assertEquals(0, app.awaitExit(ProbeSupport.RUN_LIMIT), app.output());
            assertEquals("1000", ProbeSupport.probeValue(app, "epoll", "echoed"));
            assertEquals("127.0.0.1:" + echo.getLocalPort(), ProbeSupport.probeValue(app, "epoll", "remote"));
            Map<String, Object> epoll = Events.only(Events.read(events), e -> true, "the connection after the attach");
            assertEquals("proxy", epoll.get("route"), epoll.toString());
            assertEquals(1000L, epoll.get("bytes_down"), epoll.toString());
            assertCaller(epoll, "NettyProbeApp", "run", app, "epoll", "line");
        }
    }

    @Test
    void usageErrorExitsWithTwo() throws Exception {
        ChildJvm cli = ChildJvm.start(cli("attach"));
        assertEquals(2, cli.awaitExit(ProbeSupport.RUN_LIMIT), cli.output());
        assertTrue(cli.stderrLines().get(0).startsWith("usage: java -jar socksbridge-agent.jar attach <pid>"),
                cli.output());
    }

    @Test
    void aBadOptionIsReportedByTheCommandWithoutAttaching() throws Exception {
        ChildJvm cli = ChildJvm.start(cli("attach", String.valueOf(ProcessHandle.current().pid()), "mode=block"));
        assertEquals(2, cli.awaitExit(ProbeSupport.RUN_LIMIT), cli.output());
        assertEquals(List.of("socksbridge: option mode=block (expected: monitor or enforce) (nothing attached)"),
                cli.stderrLines(), cli.output());
    }

    /** The pid the probe printed once it is ready to be attached to. */
    private static String awaitReady(ChildJvm app) throws Exception {
        String ready = app.awaitStdout(l -> l.startsWith("READY"), Duration.ofSeconds(60))
                .orElseThrow(() -> new AssertionError("probe not ready\n" + app.output()));
        return ready.split(" ")[1].substring("pid=".length());
    }

    private static List<String> cli(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Fixtures.currentJava(), "-jar",
                Fixtures.agentJar().toString()));
        command.addAll(List.of(args));
        return command;
    }
}
