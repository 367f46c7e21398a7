package dev.socksbridge.agent.it;

import static dev.socksbridge.agent.it.ProbeSupport.assertCaller;
import static dev.socksbridge.agent.it.ProbeSupport.probeValue;
import static dev.socksbridge.agent.it.ProbeSupport.probeValueAfter;
import static dev.socksbridge.agent.it.ProbeSupport.runOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.socksbridge.proxy.it.support.Await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Netty's native epoll transport under the agent, with real clients and servers on loopback: the
 * connection goes through the proxy with its caller, and the app sees what it sees without the agent
 * (the reply, the channel's {@code remoteAddress()}, and for a refused port the same exception, type and
 * message). On this JDK and JDK 17.
 *
 * <p>Connect timeouts need a destination that never answers: the probe runs in a network namespace this
 * test creates (root and {@code ip} needed, else that test is skipped and says so), where 203.0.113.1
 * (TEST-NET-3) is routed into {@code lo}, which does not forward it: its SYNs vanish. No packet leaves
 * the namespace.
 */
class NettyNativeAgentIT {

    private static final String NETTY_PROBE = "dev.socksbridge.probe.NettyProbeApp";
    private static final String REACTOR_PROBE = "dev.socksbridge.probe.ReactorProbeApp";
    private static final String BLACKHOLE = "203.0.113.1";
    /** Above the proxy's own connect timeout (10 s): the channel's must be the one that counts. */
    private static final int LONGER_THAN_PROXY_MILLIS = 12_000;

    private static int refusedPort;
    private static NetNamespace namespace;

    @TempDir
    Path dir;

    @BeforeAll
    static void findRefusedPort() throws IOException {
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusedPort = closed.getLocalPort(); // nothing listens there once closed
        }
    }

    @BeforeAll
    static void createNamespace() throws Exception {
        namespace = NetNamespace.create("sbnetty-" + ProcessHandle.current().pid(),
                new String[] {"ip", "route", "add", BLACKHOLE + "/32", "dev", "lo"});
    }

    @AfterAll
    static void deleteNamespace() throws Exception {
        namespace.close();
    }

    static Stream<String> javas() {
        return NioAgentIT.javas();
    }

    /**
     * A connect to an address that never answers fails with Netty's own {@code ConnectTimeoutException} at
     * the channel's {@code CONNECT_TIMEOUT_MILLIS}, below and above the proxy's 10 s, as without the agent.
     * Before, the proxy dialed with its 10 s and the event loop waited for it, so both got
     * {@code finishConnect(..) failed with error(-110)} after 10 s, and a second channel on the same loop
     * could not connect meanwhile (here it must, while the first is pending). Each connect is recorded as
     * a proxied timeout with its caller.
     */
    @ParameterizedTest
    @MethodSource("javas")
    void anEpollConnectTimeoutIsNettysOwnAtTheChannelsTimeoutAndTheLoopRunsMeanwhile(String java) throws Exception {
        assumeTrue(namespace.missing() == null, () -> "NOT TESTED (Netty connect timeout): " + namespace.missing());
        String quick = "epoll-timeout:" + BLACKHOLE + ":80:300";
        String slow = "epoll-timeout:" + BLACKHOLE + ":80:" + LONGER_THAN_PROXY_MILLIS + ":sibling";
        Path events = dir.resolve("events.jsonl");
        List<String> plainCommand = Fixtures.command(java, NETTY_PROBE, null, NioAgentIT.nettyJars(), List.of(),
                quick, slow, "hold");
        List<String> agentCommand = Fixtures.command(java, NETTY_PROBE, "include-loopback=true,events=" + events,
                NioAgentIT.nettyJars(), List.of(), quick, slow, "hold");
        try (ChildJvm plain = ChildJvm.start(namespace.exec(plainCommand));
                ChildJvm agent = ChildJvm.start(namespace.exec(agentCommand))) {
            awaitHold(plain);
            plain.send("go");
            awaitHold(agent);
            // the proxy records a dial when it ends, at the channel's deadline: the app waits for the record
            Await.until("both timed-out connects recorded", ProbeSupport.RUN_LIMIT,
                    () -> timedOut(events).size() == 2, agent::output);
            agent.send("go");
            assertEquals(0, plain.awaitExit(ProbeSupport.RUN_LIMIT), plain.output());
            assertEquals(0, agent.awaitExit(ProbeSupport.RUN_LIMIT), agent.output());

            for (int millis : new int[] {300, LONGER_THAN_PROXY_MILLIS}) {
                String name = "epoll-timeout-" + millis;
                String expected = probeValueAfter(plain, name, "error=");
                assertEquals("io.netty.channel.ConnectTimeoutException: connection timed out after " + millis
                        + " ms: /" + BLACKHOLE + ":80", expected, "without the agent\n" + plain.output());
                assertEquals(expected, probeValueAfter(agent, name, "error="), agent.output());
            }
            String name = "epoll-timeout-" + LONGER_THAN_PROXY_MILLIS;
            assertEquals("connected-while-pending", probeValue(plain, name, "sibling"), plain.output());
            assertEquals("connected-while-pending", probeValue(agent, name, "sibling"), agent.output());

            List<Map<String, Object>> recorded = timedOut(events);
            for (Map<String, Object> event : recorded) {
                assertEquals("proxy", event.get("route"), event.toString());
                assertEquals(80L, event.get("target_port"), event.toString());
            }
            assertCaller(recorded.get(0), "NettyProbeApp", "timeout", agent, "epoll-timeout-300", "line");
            assertCaller(recorded.get(1), "NettyProbeApp", "timeout", agent, name, "line");
        }
    }

    private static void awaitHold(ChildJvm child) throws InterruptedException {
        assertTrue(child.awaitStdout("PROBE hold"::equals, ProbeSupport.RUN_LIMIT).isPresent(), child.output());
    }

    /** The events for the namespace's unanswering address whose outcome is a timeout, in the file's order. */
    private static List<Map<String, Object>> timedOut(Path events) {
        try {
            return Events.read(events).stream()
                    .filter(e -> BLACKHOLE.equals(e.get("target_host")) && "timeout".equals(e.get("outcome")))
                    .toList();
        } catch (IOException | RuntimeException e) {
            return List.of(); // a line being written: read again
        }
    }

    @ParameterizedTest
    @MethodSource("javas")
    void aRefusedEpollConnectFailsWithNettysOwnExceptionAndIsRecorded(String java) throws Exception {
        String scenario = "epoll-refused:127.0.0.1:" + refusedPort;
        ChildJvm plain = runOk(Fixtures.command(java, NETTY_PROBE, null, NioAgentIT.nettyJars(), List.of(), scenario));
        Path events = dir.resolve("events.jsonl");
        ChildJvm agent = runOk(Fixtures.command(java, NETTY_PROBE, "include-loopback=true,events=" + events,
                NioAgentIT.nettyJars(), List.of(), scenario));

        String expected = probeValueAfter(plain, "epoll-refused", "error=");
        assertTrue(expected.contains("Connection refused"), "without the agent: " + expected);
        assertEquals(expected, probeValueAfter(agent, "epoll-refused", "error="), "the same exception and cause");

        Map<String, Object> event = Events.only(Events.read(events), e -> true, "the refused connect");
        assertEquals("proxy", event.get("route"), event.toString());
        assertEquals("refused", event.get("outcome"), event.toString());
        assertEquals((long) refusedPort, event.get("target_port"), event.toString());
        assertCaller(event, "NettyProbeApp", "refused", agent, "epoll-refused", "line");
    }

    @ParameterizedTest
    @MethodSource("javas")
    void reactorNettyHttpClientOnEpollIsProxiedAndSeesWhatItSeesWithoutTheAgent(String java) throws Exception {
        List<String> classpath = new ArrayList<>(NioAgentIT.nettyJars());
        classpath.addAll(NioAgentIT.jarsIn("reactor"));
        String refused = "refused:" + refusedPort;
        ChildJvm plain = runOk(Fixtures.command(java, REACTOR_PROBE, null, classpath, List.of(), "get", refused));
        Path events = dir.resolve("events.jsonl");
        // reactor. frames are the library's: excluded, the caller is the app's line that made the request
        ChildJvm agent = runOk(Fixtures.command(java, REACTOR_PROBE,
                "include-loopback=true,caller-exclude=reactor.,events=" + events, classpath, List.of(), "get", refused));

        assertEquals("EpollSocketChannel", probeValue(agent, "get", "channel"), "Reactor Netty picked epoll");
        assertEquals("200:hi", probeValue(plain, "get", "reply"));
        assertEquals("200:hi", probeValue(agent, "get", "reply"));
        String remote = probeValue(agent, "get", "remote");
        assertTrue(remote.startsWith("127.0.0.1:") && !remote.equals("127.0.0.1:" + refusedPort), remote);
        String expectedError = probeValueAfter(plain, "refused", "error=");
        assertTrue(expectedError.contains("Connection refused"), "without the agent: " + expectedError);
        assertEquals(expectedError, probeValueAfter(agent, "refused", "error="), "the same exception and cause");

        List<Map<String, Object>> all = Events.read(events);
        assertEquals(2, all.size(), all + "\n" + agent.output());
        long serverPort = Long.parseLong(remote.substring("127.0.0.1:".length()));
        Map<String, Object> get = Events.only(all, e -> "ok".equals(e.get("outcome")), "the GET");
        assertEquals("proxy", get.get("route"), get.toString());
        assertEquals(serverPort, get.get("target_port"), "the server the channel's remoteAddress() names: " + get);
        assertTrue((Long) get.get("bytes_up") > 0 && (Long) get.get("bytes_down") > 0, get.toString());
        assertCaller(get, "ReactorProbeApp", "get", agent, "get", "line");
        Map<String, Object> failed = Events.only(all, e -> "refused".equals(e.get("outcome")), "the refused request");
        assertEquals((long) refusedPort, failed.get("target_port"), failed.toString());
        assertCaller(failed, "ReactorProbeApp", "refused", agent, "refused", "line");
    }
}
