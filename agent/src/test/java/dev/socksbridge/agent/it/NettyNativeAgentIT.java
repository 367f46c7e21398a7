package dev.socksbridge.agent.it;

import static dev.socksbridge.agent.it.ProbeSupport.assertCaller;
import static dev.socksbridge.agent.it.ProbeSupport.probeValue;
import static dev.socksbridge.agent.it.ProbeSupport.probeValueAfter;
import static dev.socksbridge.agent.it.ProbeSupport.runOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Netty's native epoll transport under the agent, with real clients and servers on loopback: the
 * connection goes through the proxy with its caller, and the app sees what it sees without the agent
 * (the reply, the channel's {@code remoteAddress()}, and for a refused port the same exception, type and
 * message). On this JDK and JDK 17.
 */
class NettyNativeAgentIT {

    private static final String NETTY_PROBE = "dev.socksbridge.probe.NettyProbeApp";
    private static final String REACTOR_PROBE = "dev.socksbridge.probe.ReactorProbeApp";

    private static int refusedPort;

    @TempDir
    Path dir;

    @BeforeAll
    static void findRefusedPort() throws IOException {
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusedPort = closed.getLocalPort(); // nothing listens there once closed
        }
    }

    static Stream<String> javas() {
        return NioAgentIT.javas();
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
