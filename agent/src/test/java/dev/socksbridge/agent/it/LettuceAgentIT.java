package dev.socksbridge.agent.it;

import static dev.socksbridge.agent.it.ProbeSupport.probeValue;
import static dev.socksbridge.agent.it.ProbeSupport.runOk;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lettuce, a Redis client on Netty, against a real {@code redis-server} on loopback, on the transport it
 * picks by default (native epoll: Netty's is on the class path) and on NIO
 * ({@code -Dio.netty.transport.noNative=true}): SET and GET give the same output with and without the
 * agent, and the one connection is recorded, through the proxy, with Lettuce's frame as the caller and the
 * probe's {@code client.connect()} line as {@code app_caller} (the default {@code app-packages=}, the main
 * class's package), though the event loop connects. On this JDK and JDK 17.
 */
class LettuceAgentIT {

    private static final String PROBE = "dev.socksbridge.probe.LettuceProbeApp";

    private static RedisServer redis;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start(); // skips the class, saying why, without redis-server
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    /** Each JDK with Lettuce's default transport (epoll) and with native transports off (NIO). */
    static Stream<Arguments> javasAndTransports() {
        return Fixtures.javas().stream().flatMap(java -> Stream.of(
                Arguments.of(java, "epoll", List.of()),
                Arguments.of(java, "nio", List.of("-Dio.netty.transport.noNative=true"))));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("javasAndTransports")
    void setAndGetGoThroughTheProxyWithLettucesFrameAndTheAppsLine(String java, String transport,
            List<String> jvmArgs) throws Exception {
        String scenario = "setget:127.0.0.1:" + redis.port();
        Path events = dir.resolve("events.jsonl");
        ChildJvm agent = runOk(Fixtures.command(java, PROBE, "include-loopback=true,events=" + events, jars(),
                jvmArgs, scenario));
        ChildJvm plain = runOk(Fixtures.command(java, PROBE, null, jars(), jvmArgs, scenario));

        assertEquals(plain.stdoutLines(), agent.stdoutLines(), "the app's output with the agent\n" + agent.output());
        assertEquals("OK", probeValue(agent, "setget", "set"), agent.output());
        assertEquals("hello_from_lettuce", probeValue(agent, "setget", "get"));
        String channel = transport.equals("epoll") ? "EpollSocketChannel" : "NioSocketChannel";
        assertEquals(channel, probeValue(agent, "setget", "channel"), "the transport Lettuce used");
        assertEquals("127.0.0.1:" + redis.port(), probeValue(agent, "setget", "remote"), "the channel's remoteAddress()");

        Map<String, Object> event = Events.only(Events.read(events), e -> true, "Lettuce's connection\n" + agent.output());
        assertEquals("connect", event.get("command"), event.toString());
        assertEquals("proxy", event.get("route"), event.toString());
        assertEquals("ok", event.get("outcome"), event.toString());
        assertEquals((long) redis.port(), event.get("target_port"), event.toString());
        assertEquals("io.lettuce.core.AbstractRedisClient", event.get("caller_class"), event.toString());
        assertEquals("initializeChannelAsync0", event.get("caller_method"), event.toString());
        assertEquals("lettuce-" + transport + "EventLoop", threadGroupOf(event), "the event loop connected: " + event);
        assertEquals(PROBE + ".setGet(LettuceProbeApp.java:" + probeValue(agent, "setget", "line") + ")",
                event.get("app_caller"), event.toString());
    }

    /** {@code lettuce-epollEventLoop-4-1} -> {@code lettuce-epollEventLoop}. */
    private static String threadGroupOf(Map<String, Object> event) {
        String thread = (String) event.get("thread");
        return thread.replaceAll("(-\\d+)+$", "");
    }

    private static List<String> jars() throws Exception {
        List<String> jars = new ArrayList<>(NioAgentIT.jarsIn("lettuce"));
        jars.addAll(NioAgentIT.nettyJars());
        jars.addAll(NioAgentIT.jarsIn("reactor"));
        return jars;
    }
}
