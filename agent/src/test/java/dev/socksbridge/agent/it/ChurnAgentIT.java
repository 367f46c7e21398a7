package dev.socksbridge.agent.it;

import static dev.socksbridge.agent.it.ProbeSupport.probeValue;
import static dev.socksbridge.agent.it.ProbeSupport.runOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection churn through the agent: NIO channels opened and closed as fast as one thread can, each
 * redirected to the in-process proxy. Until the agent stopped binding each channel to an ephemeral port
 * itself, the 28,493rd such bind within a minute failed (TIME_WAIT held the ports) and that connect went
 * direct, unrecorded. Now every connect reaches the server, through the proxy, and is recorded.
 */
class ChurnAgentIT {

    private static final String CHURN_PROBE = "dev.socksbridge.probe.ChurnProbeApp";
    private static final int CONNECTS = 100_000;
    /** The probe stops early after this; on this 2-core machine 100,000 take about 35 s. */
    private static final int PROBE_SECONDS = 50;
    /** Past the point where the bind path failed (28,493 binds in a minute): the test proves nothing below. */
    private static final int MIN_CONNECTS = 30_000;

    /** 4 times the namespace's 5,000 ephemeral ports; about 10 s here. */
    private static final int ASYNC_CONNECTS = 20_000;

    private static final String AT_LIMIT = "the in-process proxy is at its session limit (max-sessions=1)";

    private static ServerSocket server;
    private static ServerSocket echo;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws IOException {
        server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(ChurnAgentIT::acceptAndClose, "churn-server");
        acceptor.setDaemon(true);
        acceptor.start();
        echo = Fixtures.echoServer();
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
        echo.close();
    }

    private static void acceptAndClose() {
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                client.getLocalPort(); // accepted; closing it is all this server does
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Test
    void everyConnectOfAHundredThousandIsProxiedAndRecordedAndNoneFails() throws Exception {
        Path events = dir.resolve("events.jsonl");
        int port = server.getLocalPort();
        ChildJvm child = runOk(Fixtures.command(Fixtures.currentJava(), CHURN_PROBE,
                "include-loopback=true,log=off,events=" + events, List.of(), List.of(),
                "127.0.0.1", String.valueOf(port), String.valueOf(CONNECTS), String.valueOf(PROBE_SECONDS)));
        int connects = Integer.parseInt(probeValue(child, "churn", "connects"));
        assertEquals("0", probeValue(child, "churn", "failures"), child.output());
        assertTrue(connects >= MIN_CONNECTS, "only " + connects + " connects in " + PROBE_SECONDS
                + " s: too few to show churn\n" + child.output());
        assertEquals(connects, countProxied(events, port), "every connect is one event\n" + child.output());
    }

    /**
     * The same with {@code AsynchronousSocketChannel}s (a future and a completion handler in turn), in a
     * network namespace of the test's own whose ephemeral port range is 5,000 ports, 4 times fewer than
     * the connects: the app alone connects them all (the kernel reuses its TIME_WAIT ports), and so must it
     * through the agent. The agent used to bind each async channel to a port first, which cannot reuse one:
     * 4,439 and 5,858 of the 20,000 connects failed with a BindException (two runs, kernel 6.18). With 1,000
     * ports the app alone, without the agent, failed some connects too (23 to 1,410 of 20,000, EADDRNOTAVAIL:
     * the kernel reuses a TIME_WAIT port only a second after its last use), so the range is not smaller.
     */
    @Test
    void everyAsyncConnectIsProxiedAndRecordedWithFourTimesMoreConnectsThanEphemeralPorts() throws Exception {
        try (NetNamespace namespace = NetNamespace.create("sbchurn-" + ProcessHandle.current().pid(),
                new String[] {"sysctl", "-qw", "net.ipv4.ip_local_port_range=40000 44999"})) {
            assumeTrue(namespace.missing() == null, () -> "NOT TESTED (async churn): " + namespace.missing());
            Path events = dir.resolve("events.jsonl");
            List<String> probe = Fixtures.command(Fixtures.currentJava(), CHURN_PROBE,
                    "include-loopback=true,log=off,events=" + events, List.of(), List.of(),
                    "async", "127.0.0.1", "0", String.valueOf(ASYNC_CONNECTS), String.valueOf(PROBE_SECONDS));
            ChildJvm child = runOk(namespace.exec(probe));
            assertEquals(String.valueOf(ASYNC_CONNECTS), probeValue(child, "churn", "connects"), child.output());
            assertEquals("0", probeValue(child, "churn", "failures"), child.output());
            assertEquals(ASYNC_CONNECTS, countProxied(events, null), "every connect is one event\n" + child.output());
        }
    }

    /** Reads every event: each must be a proxied connect to {@code port} (0: the probe's own server). */
    private static int countProxied(Path events, Integer port) throws IOException {
        int recorded = 0;
        try (BufferedReader lines = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Map<String, Object> event = Events.parse(line);
                assertEquals("proxy", event.get("route"), line);
                assertEquals("transparent", event.get("protocol"), line);
                assertEquals("ok", event.get("outcome"), line);
                if (port != null) {
                    assertEquals("127.0.0.1:" + port, event.get("resolved"), line);
                }
                assertEquals("dev.socksbridge.probe.ChurnProbeApp", event.get("caller_class"), line);
                recorded++;
            }
        }
        return recorded;
    }

    /** A connect the agent cannot route (the proxy is full) goes direct in monitor mode, and says why. */
    @Test
    void overTheSessionLimitAMonitoredConnectGoesDirectAndIsRecordedWithTheReason() throws Exception {
        Path events = dir.resolve("events.jsonl");
        ChildJvm child = runOk(limitProbe("max-sessions=1,events=" + events));
        assertEquals("ok", probeValue(child, "limit", "second"), child.output());
        assertEquals("1", probeValue(child, "limit", "echoed"), child.output());

        List<Map<String, Object>> all = Events.read(events);
        assertEquals(2, all.size(), all + "\n" + child.output());
        Map<String, Object> held = Events.only(all, e -> "proxy".equals(e.get("route")), "held through the proxy");
        assertEquals("ok", held.get("outcome"), held.toString());
        Map<String, Object> direct = Events.only(all, e -> "direct".equals(e.get("route")), "over the limit");
        assertEquals("ok", direct.get("outcome"), direct.toString());
        assertEquals("127.0.0.1:" + echo.getLocalPort(), direct.get("resolved"), direct.toString());
        assertEquals("not proxied (socksbridge: " + AT_LIMIT + ")", direct.get("failure"), direct.toString());
        assertEquals("overTheLimit", direct.get("caller_method"), direct.toString());
    }

    /** In enforce mode the same connect fails, with an exception that names socksbridge and the reason. */
    @Test
    void overTheSessionLimitAnEnforcedConnectFailsClearlyAndIsRecorded() throws Exception {
        Path events = dir.resolve("events.jsonl");
        ChildJvm child = runOk(limitProbe("max-sessions=1,mode=enforce,events=" + events));
        assertTrue(child.stdoutLines().contains("PROBE limit second_failure=java.net.ConnectException message="
                + "Connection refused by socksbridge (mode=enforce): " + AT_LIMIT), child.output());

        List<Map<String, Object>> all = Events.read(events);
        Map<String, Object> refused = Events.only(all, e -> "direct".equals(e.get("route")), "over the limit");
        assertEquals("ConnectException; not proxied (socksbridge: " + AT_LIMIT + ")", refused.get("failure"),
                refused.toString());
        assertEquals(null, refused.get("resolved"), refused.toString());
        assertEquals("overTheLimit", refused.get("caller_method"), refused.toString());
    }

    /**
     * An async channel over the limit in monitor mode goes direct and is recorded with the reason; in
     * enforce mode it fails as a failed async connect does (closed, the exception in the future or handed
     * to the handler), with the refusal that names socksbridge, and is recorded.
     */
    @Test
    void overTheSessionLimitAnAsyncConnectGoesDirectInMonitorModeAndFailsClearlyInEnforceMode() throws Exception {
        Path monitorEvents = dir.resolve("monitor.jsonl");
        ChildJvm monitor = runOk(asyncLimitProbe("max-sessions=1,events=" + monitorEvents));
        assertEquals("ok", probeValue(monitor, "limit-async", "future"), monitor.output());
        assertEquals("ok", probeValue(monitor, "limit-async-handler", "result"), monitor.output());
        List<Map<String, Object>> monitored = Events.read(monitorEvents);
        assertEquals(3, monitored.size(), monitored + "\n" + monitor.output());
        for (Map<String, Object> direct : monitored.stream().filter(e -> "direct".equals(e.get("route"))).toList()) {
            assertEquals("ok", direct.get("outcome"), direct.toString());
            assertEquals("not proxied (socksbridge: " + AT_LIMIT + ")", direct.get("failure"), direct.toString());
        }

        Path enforceEvents = dir.resolve("enforce.jsonl");
        ChildJvm enforce = runOk(asyncLimitProbe("max-sessions=1,mode=enforce,events=" + enforceEvents));
        String refusal = ("java.net.ConnectException:Connection refused by socksbridge (mode=enforce): " + AT_LIMIT)
                .replace(' ', '_');
        assertEquals(refusal, probeValue(enforce, "limit-async", "future"), enforce.output());
        assertEquals(refusal, probeValue(enforce, "limit-async-handler", "result"), enforce.output());
        List<Map<String, Object>> refused = Events.read(enforceEvents).stream()
                .filter(e -> "direct".equals(e.get("route"))).toList();
        assertEquals(2, refused.size(), refused + "\n" + enforce.output());
        for (Map<String, Object> event : refused) {
            assertEquals("ConnectException; not proxied (socksbridge: " + AT_LIMIT + ")", event.get("failure"),
                    event.toString());
            assertEquals("asyncOverTheLimit", event.get("caller_method"), event.toString());
        }
    }

    /** Netty's epoll transport over the limit in enforce mode: the connect fails with the refusal, recorded. */
    @Test
    void overTheSessionLimitAnEnforcedNettyEpollConnectFailsClearlyAndIsRecorded() throws Exception {
        Path events = dir.resolve("events.jsonl");
        String scenario = "epoll-limit:127.0.0.1:" + echo.getLocalPort();
        ChildJvm child = runOk(Fixtures.command(Fixtures.currentJava(), "dev.socksbridge.probe.NettyProbeApp",
                "include-loopback=true,log=off,max-sessions=1,mode=enforce,events=" + events,
                NioAgentIT.nettyJars(), List.of(), scenario));
        String error = ProbeSupport.probeValueAfter(child, "epoll-limit", "error=");
        assertTrue(error.endsWith("<- java.net.ConnectException: Connection refused by socksbridge (mode=enforce): "
                + AT_LIMIT), "Netty's connect failed with the refusal as its cause: " + error);

        Map<String, Object> refused = Events.only(Events.read(events), e -> "direct".equals(e.get("route")),
                "the epoll connect over the limit");
        assertEquals("ConnectException; not proxied (socksbridge: " + AT_LIMIT + ")", refused.get("failure"),
                refused.toString());
        assertEquals("refused", refused.get("caller_method"), refused.toString());
    }

    private static List<String> asyncLimitProbe(String options) {
        return Fixtures.command(Fixtures.currentJava(), CHURN_PROBE, "include-loopback=true,log=off," + options,
                List.of(), List.of(), "limit-async", "127.0.0.1", String.valueOf(echo.getLocalPort()));
    }

    private static List<String> limitProbe(String options) {
        return Fixtures.command(Fixtures.currentJava(), CHURN_PROBE, "include-loopback=true,log=off," + options,
                List.of(), List.of(), "limit", "127.0.0.1", String.valueOf(echo.getLocalPort()));
    }
}
