package dev.socksbridge.probe;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lettuce (Redis) against a real {@code redis-server}: scenario {@code setget:HOST:PORT} connects with
 * Lettuce's defaults (its native epoll transport when Netty's is on the class path and usable, NIO
 * otherwise, e.g. with {@code -Dio.netty.transport.noNative=true}), SETs a key and GETs it back, and prints
 * {@code PROBE setget set=OK get=<value> channel=<the channel's class> remote=<its remoteAddress()>
 * line=<the line of client.connect()>}: nothing that differs from run to run, so the output with and
 * without the agent is the same.
 */
public final class LettuceProbeApp {

    private LettuceProbeApp() {
    }

    public static void main(String[] args) throws Exception {
        for (String scenario : args) {
            if (!scenario.startsWith("setget:")) {
                throw new IllegalArgumentException("unknown scenario " + scenario);
            }
            String[] hostPort = scenario.substring("setget:".length()).split(":");
            setGet(hostPort[0], Integer.parseInt(hostPort[1]));
        }
        System.out.println("PROBE done");
    }

    private static void setGet(String host, int port) {
        AtomicReference<Channel> channel = new AtomicReference<>();
        ClientResources resources = DefaultClientResources.builder().nettyCustomizer(new NettyCustomizer() {
            @Override
            public void afterChannelInitialized(Channel initialized) {
                channel.set(initialized);
            }
        }).build();
        RedisClient client = RedisClient.create(resources, RedisURI.create(host, port));
        try {
            int line = nextLine();
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> redis = connection.sync();
                String set = redis.set("socksbridge-probe", "hello from lettuce");
                String value = redis.get("socksbridge-probe").replace(' ', '_');
                System.out.println("PROBE setget set=" + set + " get=" + value + " channel="
                        + channel.get().getClass().getSimpleName() + " remote="
                        + NioProbeApp.text(channel.get().remoteAddress()) + " line=" + line);
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(10));
            resources.shutdown(0, 10, TimeUnit.SECONDS).awaitUninterruptibly(20, TimeUnit.SECONDS);
        }
    }

    private static int nextLine() {
        return StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst()).orElseThrow().getLineNumber() + 1;
    }
}
