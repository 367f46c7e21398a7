package dev.socksbridge.probe;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A real gRPC unary call over {@code grpc-netty-shaded}, server and client in this JVM on loopback:
 * {@code default} (the transport gRPC picks: epoll on Linux), {@code nio} or {@code epoll} (forced).
 * Prints {@code PROBE <scenario> reply=<answer>} or {@code PROBE <scenario> failed=<status>}.
 */
public final class GrpcProbeApp {

    private static final MethodDescriptor<String, String> SAY = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("probe.Echo", "Say"))
            .setRequestMarshaller(new Utf8())
            .setResponseMarshaller(new Utf8())
            .build();

    private GrpcProbeApp() {
    }

    public static void main(String[] args) throws Exception {
        ServerServiceDefinition echo = ServerServiceDefinition.builder("probe.Echo")
                .addMethod(SAY, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext("echo:" + request);
                    response.onCompleted();
                }))
                .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(echo)
                .build().start();
        try {
            for (String scenario : args) {
                call(scenario, server.getPort());
            }
        } finally {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        System.out.println("PROBE done");
    }

    private static void call(String scenario, int port) throws InterruptedException {
        EventLoopGroup group = null;
        ManagedChannel channel;
        if (scenario.equals("default")) {
            channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
        } else {
            boolean epoll = scenario.equals("epoll");
            if (epoll && !Epoll.isAvailable()) {
                System.out.println("PROBE " + scenario + " unavailable=" + Epoll.unavailabilityCause());
                return;
            }
            group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().eventLoopGroup(group)
                    .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class, InetSocketAddress.class)
                    .build();
        }
        try {
            String reply = ClientCalls.blockingUnaryCall(channel, SAY,
                    CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), scenario);
            System.out.println("PROBE " + scenario + " reply=" + reply);
        } catch (StatusRuntimeException e) {
            System.out.println("PROBE " + scenario + " failed=" + e.getStatus().getCode() + " "
                    + e.getStatus().getDescription());
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        }
    }

    /** Strings as UTF-8 bytes: a unary method without generated protobuf classes. */
    private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
