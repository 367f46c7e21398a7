package dev.socksbridge.agent.bootstrap;

import dev.socksbridge.proxy.capture.CallerFinder;
import dev.socksbridge.proxy.capture.VirtualThreads;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The only code the advice inlined into {@code java.net.Socket} and the JDK's socket implementations
 * calls. It lives on the boot class path (the agent jar's {@code Boot-Class-Path}) so that JDK classes
 * can see it. Every method is cheap when the agent is not installed or the thread is bypassed, and
 * never throws into the app (the advice also suppresses anything thrown).
 */
public final class Hooks {

    private static volatile ConnectObserver observer;
    /** Netty connects on its event loop; its frames never name the app (see ChannelHooks.madeNonBlocking). */
    private static final List<String> NETTY = List.of("io.netty.");
    private static volatile CallerFinder finder = new CallerFinder(NETTY);
    /** {@code app-packages=}: the prefixes of the app's own classes (empty: no app frame is looked for). */
    private static volatile String[] appPackages = new String[0];
    /** {@code stack-depth=}: how many frames outside the JDK each tag keeps (0: none). */
    private static volatile int stackDepth;

    /** The connect in progress on this thread (a stack, for the rare nested connect). */
    private static final ThreadLocal<Pending> CURRENT = new ThreadLocal<>();
    /** > 0 while this thread runs agent code whose sockets must not be tagged or reported. */
    private static final ThreadLocal<int[]> BYPASS = new ThreadLocal<>();

    private Hooks() {
    }

    /** Starts reporting; {@code callerExclude} are package prefixes skipped when looking for the caller. */
    public static void install(ConnectObserver newObserver, List<String> callerExclude) {
        List<String> skipped = new ArrayList<>(NETTY);
        skipped.addAll(callerExclude);
        finder = new CallerFinder(skipped);
        observer = newObserver;
    }

    /**
     * What each tag names besides the caller: the first frame in {@code apps} (the app's package prefixes;
     * empty: none) and the first {@code depth} frames outside the JDK (0: none). Set before {@link #install}.
     */
    public static void appFrames(List<String> apps, int depth) {
        appPackages = apps.toArray(new String[0]);
        stackDepth = depth;
    }

    /** Stops reporting (JVM exit, or a failed start). */
    public static void uninstall() {
        observer = null;
    }

    /** Marks the current thread as the agent's own until {@link #endBypass()}. */
    public static void beginBypass() {
        int[] depth = BYPASS.get();
        if (depth == null) {
            depth = new int[1];
            BYPASS.set(depth);
        }
        depth[0]++;
    }

    public static void endBypass() {
        int[] depth = BYPASS.get();
        if (depth != null && --depth[0] <= 0) {
            BYPASS.remove();
        }
    }

    public static boolean isBypassed() {
        int[] depth = BYPASS.get();
        return depth != null && depth[0] > 0;
    }

    /**
     * Advice: entry of {@code Socket.connect(SocketAddress, int)}; {@code timeout} is the app's (0: none),
     * which the proxy's dial for this connection uses. Returns the pending connect, or null.
     */
    public static Object socketConnectEnter(Object endpoint, int timeout) {
        ConnectObserver current = observer;
        if (current == null || isBypassed() || !(endpoint instanceof InetSocketAddress address)) {
            return null;
        }
        beginBypass();
        try {
            Pending pending = new Pending(tag(address).withConnectTimeout(timeout), address, CURRENT.get());
            CURRENT.set(pending);
            return pending;
        } finally {
            endBypass();
        }
    }

    /** Advice: exit of a socket implementation's {@code connect(SocketAddress, int)}. */
    public static void implConnectExit(Object endpoint, int localPort, Throwable thrown) {
        ConnectObserver current = observer;
        Pending pending = CURRENT.get();
        if (current == null || pending == null || thrown != null || isBypassed()
                || !(endpoint instanceof InetSocketAddress address)) {
            return;
        }
        if (current.isProxy(address)) {
            pending.proxyClientPort = localPort;
            current.viaProxy(localPort, pending.tag);
        }
    }

    /**
     * Advice: exit of {@code Socket.connect(SocketAddress, int)}, normal or exceptional.
     *
     * @return what the app gets thrown: {@code thrown}, or for a connect through the proxy that failed, the
     *         exception the proxy's dial got (what a direct connect would have thrown)
     */
    public static Throwable socketConnectExit(Object pendingObject, Throwable thrown) {
        if (!(pendingObject instanceof Pending pending)) {
            return thrown;
        }
        long end = System.nanoTime();
        if (pending.previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(pending.previous);
        }
        ConnectObserver current = observer;
        if (current == null) {
            return thrown;
        }
        beginBypass();
        try {
            if (pending.proxyClientPort > 0) {
                current.finished(pending.proxyClientPort);
                return thrown instanceof java.io.IOException ? asDirect(pending.tag, thrown) : thrown;
            }
            current.direct(pending.tag, pending.endpoint, thrown, end);
            return thrown;
        } finally {
            endBypass();
        }
    }

    /** The exception a direct connect would have thrown instead of the SOCKS client's {@code thrown}. */
    private static Throwable asDirect(CallerTag tag, Throwable thrown) {
        java.io.IOException dial = DialFailures.take(tag);
        java.io.IOException copy = dial == null ? null : DialFailures.copy(dial, thrown.getStackTrace());
        return copy == null ? thrown : copy;
    }

    /** The observer, or null while the agent is not recording. */
    static ConnectObserver observer() {
        return observer;
    }

    static CallerTag tag(InetSocketAddress endpoint) {
        return tag(endpoint.getHostString(), endpoint.getPort());
    }

    /**
     * The caller of the current JDK call; {@code host}/{@code port} name what it asked for (port -1: none).
     * A stack without an application frame takes the caller handed over by {@link AsyncCallers}, if any;
     * one without an app frame takes the handed-over app frame.
     */
    static CallerTag tag(String host, int port) {
        Thread thread = Thread.currentThread();
        ConnectObserver current = observer;
        CallerFinder.Frames found = current == null || current.wantsCallers()
                ? finder.find(appPackages, stackDepth) : CallerFinder.Frames.NONE;
        // one resolution of the frame for its four parts (a StackFrame resolves its name and its line apart)
        StackTraceElement frame = found.caller() == null ? null : found.caller().toStackTraceElement();
        long millis = System.currentTimeMillis();
        long nanos = System.nanoTime();
        CallerTag tag = new CallerTag(
                frame == null ? null : frame.getClassName(),
                frame == null ? null : frame.getMethodName(),
                frame == null ? null : frame.getFileName(),
                frame == null ? -1 : frame.getLineNumber(),
                thread.getName(),
                VirtualThreads.isVirtual(thread),
                host,
                port,
                millis,
                nanos,
                found.app() == null ? null : CallerTag.text(found.app()),
                texts(found.stack()),
                -1);
        CallerTag inherited = AsyncCallers.inherited();
        if (inherited == null) {
            return tag;
        }
        // handed over from the thread that made the request: its caller when this stack names none,
        // else at least its app frame when this stack (a library's own thread) has none
        return frame == null ? tag.withCallerOf(inherited)
                : found.app() == null && inherited.appCaller() != null ? tag.withAppCaller(inherited.appCaller()) : tag;
    }

    private static List<String> texts(List<StackWalker.StackFrame> frames) {
        if (frames.isEmpty()) {
            return List.of();
        }
        String[] texts = new String[frames.size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = CallerTag.text(frames.get(i));
        }
        return List.of(texts);
    }

    /** One {@code Socket.connect} call in progress. */
    private static final class Pending {
        final CallerTag tag;
        final InetSocketAddress endpoint;
        final Pending previous;
        int proxyClientPort;

        Pending(CallerTag tag, InetSocketAddress endpoint, Pending previous) {
            this.tag = tag;
            this.endpoint = endpoint;
            this.previous = previous;
        }
    }
}
