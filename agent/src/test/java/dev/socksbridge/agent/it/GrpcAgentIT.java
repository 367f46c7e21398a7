package dev.socksbridge.agent.it;

import static dev.socksbridge.agent.it.ProbeSupport.probeValue;
import static dev.socksbridge.agent.it.ProbeSupport.runOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gRPC Java asks the default ProxySelector about every target and reads any non-direct answer as an HTTP
 * CONNECT proxy. With the agent attached its calls must work exactly as without it, on every transport
 * grpc-netty-shaded offers, and the connections the agent captures must be recorded.
 */
class GrpcAgentIT {

    private static final String GRPC_PROBE = "dev.socksbridge.probe.GrpcProbeApp";

    @TempDir
    Path dir;

    static Stream<String> javas() {
        return NioAgentIT.javas();
    }

    @ParameterizedTest
    @MethodSource("javas")
    void unaryCallsWorkOnEveryTransportAndEachIsRecordedThroughTheProxyWithItsCaller(String java) throws Exception {
        Path events = dir.resolve("events.jsonl");
        ChildJvm child = runOk(Fixtures.command(java, GRPC_PROBE, "include-loopback=true,events=" + events,
                grpcJars(), List.of(), "default", "nio", "epoll"));
        for (String scenario : List.of("default", "nio", "epoll")) {
            assertEquals("echo:" + scenario, probeValue(child, scenario, "reply"), child.output());
        }
        // one channel per call: default (epoll on Linux), NIO, and epoll forced, each with one connection
        List<Map<String, Object>> all = Events.read(events);
        assertEquals(3, all.size(), all + "\n" + child.output());
        assertTrue(all.stream().anyMatch(e -> ((String) e.get("thread")).startsWith("grpc-default-worker-ELG")),
                "the default transport is gRPC's epoll event loop group\n" + all);
        Object caller = all.get(0).get("caller_class");
        for (Map<String, Object> event : all) {
            assertEquals("proxy", event.get("route"), event.toString());
            assertEquals("transparent", event.get("protocol"), event.toString());
            assertEquals("ok", event.get("outcome"), event.toString());
            assertEquals("127.0.0.1", event.get("target_host"), event.toString());
            assertTrue((Long) event.get("bytes_up") > 0 && (Long) event.get("bytes_down") > 0, event.toString());
            // gRPC connects on its event loop from its own threads: the caller is gRPC's frame (never its
            // relocated Netty's), the same on every transport
            assertTrue(caller instanceof String name && name.startsWith("io.grpc.") && !name.contains(".io.netty."),
                    event.toString());
            assertEquals(caller, event.get("caller_class"), event.toString());
        }
        assertTrue(child.output().lines().noneMatch(l -> l.contains("caller=external")),
                "gRPC never reaches the proxy as a stranger\n" + child.output());
    }

    @ParameterizedTest
    @MethodSource("javas")
    void withoutTheAgentTheSameCallsGiveTheSameReplies(String java) throws Exception {
        ChildJvm child = runOk(Fixtures.command(java, GRPC_PROBE, null, grpcJars(), List.of(), "default", "nio"));
        assertEquals("echo:default", probeValue(child, "default", "reply"));
        assertEquals("echo:nio", probeValue(child, "nio", "reply"));
    }

    static List<String> grpcJars() throws IOException {
        Path dir = Path.of(Fixtures.required("socksbridge.it.libs"), "grpc");
        try (Stream<Path> jars = Files.list(dir)) {
            return jars.map(Path::toString).filter(name -> name.endsWith(".jar")).toList();
        }
    }
}
