package dev.socksbridge.agent.instrument;

import dev.socksbridge.agent.report.LogSink;
import dev.socksbridge.proxy.capture.CallerFinder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Netty's io_uring transport submits its connects to the kernel's ring itself, never through the JDK or
 * Netty's {@code io.netty.channel.unix.Socket.connect} (which {@link NettyInstrumentation} hooks for epoll
 * and kqueue), so the agent cannot see its connections. When its {@code Native} class loads, in the
 * original package or any relocated copy ({@code io.grpc.netty.shaded.io.netty...}), this warns once,
 * naming the component that loaded it and the option that makes Netty use its NIO transport instead
 * (which the agent does capture).
 */
final class NativeTransportDetector {

    /** Internal class names of the io_uring transport's {@code Native} (Netty 4.2, and the 4.1 incubator). */
    private static final List<String> IO_URING_NATIVE = List.of(
            "io/netty/channel/uring/Native", "io/netty/incubator/channel/uring/Native");

    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    /** The library or app that chose the transport: the first frame outside the JDK, Netty and socksbridge. */
    private static final CallerFinder LOADER = new CallerFinder(List.of("io.netty."));

    private NativeTransportDetector() {
    }

    /** Called for every class that loads: one string comparison unless it is an io_uring {@code Native} class. */
    static void classLoading(String internalName) {
        if (internalName == null || !internalName.endsWith("/Native")) {
            return;
        }
        for (String name : IO_URING_NATIVE) {
            if (ClassNames.isOrRelocates(internalName, name) && WARNED.add("io_uring")) {
                LogSink.warn(message("io_uring", loadedBy()));
            }
        }
    }

    static String message(String transport, String component) {
        return "socksbridge: Netty's native " + transport + " transport was loaded (by " + component + "): its"
                + " connections bypass the JDK and are not captured; run with -Dio.netty.transport.noNative=true"
                + " to make Netty use its NIO transport, which is captured";
    }

    private static String loadedBy() {
        return LOADER.find().map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":"
                + f.getLineNumber() + ")").orElse("unknown");
    }
}
