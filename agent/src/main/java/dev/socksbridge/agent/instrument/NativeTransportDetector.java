package dev.socksbridge.agent.instrument;

import dev.socksbridge.agent.report.LogSink;
import dev.socksbridge.proxy.capture.CallerFinder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Netty's native transports (epoll, io_uring, kqueue) make their own system calls and never reach the
 * JDK's socket classes, so the agent cannot see their connections. When one of their {@code Native}
 * classes loads, this warns once per transport, naming the component that loaded it and the option that
 * makes Netty use its NIO transport instead (which the agent does capture).
 */
final class NativeTransportDetector {

    /** Internal class name -> transport, as the class file transformer sees names. */
    private static final Map<String, String> NATIVE_CLASSES = Map.of(
            "io/netty/channel/epoll/Native", "epoll",
            "io/netty/channel/uring/Native", "io_uring",
            "io/netty/channel/kqueue/Native", "kqueue");

    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    /** The library or app that chose the transport: the first frame outside the JDK, Netty and socksbridge. */
    private static final CallerFinder LOADER = new CallerFinder(List.of("io.netty."));

    private NativeTransportDetector() {
    }

    /** Called for every class that loads: one map lookup unless it is a Netty native class. */
    static void classLoading(String internalName) {
        if (internalName == null || !internalName.startsWith("io/netty/")) {
            return;
        }
        String transport = NATIVE_CLASSES.get(internalName);
        if (transport != null && WARNED.add(transport)) {
            LogSink.warn(message(transport, loadedBy()));
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
