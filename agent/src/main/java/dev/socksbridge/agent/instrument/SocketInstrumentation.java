package dev.socksbridge.agent.instrument;

import dev.socksbridge.agent.bootstrap.ChannelHooks;
import dev.socksbridge.agent.bootstrap.Hooks;
import dev.socksbridge.agent.report.LogSink;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.SocketAddress;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.asm.Advice;

/**
 * Hooks the JDK's blocking socket connect path with Byte Buddy {@link Advice}, applied by a minimal
 * {@link ClassFileTransformer} to just the named classes. A general {@code AgentBuilder} costs half a
 * second or more of start-up (it loads and sets up most of Byte Buddy); rewriting a few known classes
 * needs only the Advice visitor and ASM, and a class rewritten before comes from the {@link HookCache}.
 * <ul>
 *   <li>{@code java.net.Socket.connect(SocketAddress, int)}: entry finds the caller, exit reports a
 *       connection that did not go through the in-process proxy;</li>
 *   <li>{@code sun.nio.ch.NioSocketImpl.connect(SocketAddress, int)} (and on JDK 17 the legacy
 *       {@code java.net.AbstractPlainSocketImpl}, used with {@code -Djdk.net.usePlainSocketImpl=true}):
 *       exit learns the local port of a socket that connected to the in-process proxy.</li>
 * </ul>
 */
public final class SocketInstrumentation {

    static final String SOCKET = "java.net.Socket";
    static final String NIO_IMPL = "sun.nio.ch.NioSocketImpl";
    static final String PLAIN_IMPL = "java.net.AbstractPlainSocketImpl"; // JDK 17 only

    /** Every hooked JDK class (AdviceSetTest checks that the {@link AdviceSet} has a hook for each, and none else). */
    static final Set<String> JDK_CLASSES = Set.of(SOCKET, NIO_IMPL, PLAIN_IMPL, ChannelInstrumentation.SOCKET_CHANNEL,
            ChannelInstrumentation.ASYNC_CHANNEL, TrafficInstrumentation.INET_ADDRESS,
            TrafficInstrumentation.DATAGRAM_CHANNEL, HttpClientInstrumentation.HTTP_CLIENT,
            HttpClientInstrumentation.MULTI_EXCHANGE, HttpClientInstrumentation.PLAIN_CONNECTION,
            HttpClientInstrumentation.CONNECT_TIMER);
    private static final Set<String> JDK_INTERNAL_NAMES = internalNames(JDK_CLASSES);

    private SocketInstrumentation() {
    }

    private static Set<String> internalNames(Set<String> names) {
        Set<String> internal = new HashSet<>();
        for (String name : names) {
            internal.add(name.replace('.', '/'));
        }
        return Set.copyOf(internal);
    }

    /**
     * Loads and initialises (so links) the classes to hook. Must run before anything else may be using
     * them for the first time concurrently: retransforming a class while another thread links it can
     * crash the JVM (JDK-8277444, fixed only in recent updates), and java.* classes are not verified.
     */
    public static List<Class<?>> linkTargets() throws ClassNotFoundException {
        List<Class<?>> targets = new ArrayList<>();
        for (String name : List.of(SOCKET, NIO_IMPL, PLAIN_IMPL, ChannelInstrumentation.SOCKET_CHANNEL,
                ChannelInstrumentation.ASYNC_CHANNEL, TrafficInstrumentation.INET_ADDRESS,
                TrafficInstrumentation.DATAGRAM_CHANNEL)) {
            try {
                targets.add(Class.forName(name, true, null));
            } catch (ClassNotFoundException e) {
                if (!name.equals(PLAIN_IMPL) && !name.equals(ChannelInstrumentation.ASYNC_CHANNEL)) {
                    throw e;
                }
            }
        }
        return targets;
    }

    /**
     * Rewrites the target classes now and keeps the transformer registered, so a later retransformation
     * by another agent keeps the hooks. Class formats do not change (advice is inlined, no new members),
     * as retransformation requires. Classes the cache holds are not rewritten again; if the JVM refuses
     * what it held, the cache is discarded and every class rewritten.
     *
     * @param targets from {@link #linkTargets()}
     * @param attached whether the agent was attached to a running JVM (which may have loaded hooked
     *        platform and library classes already; at {@code -javaagent} start it has not)
     * @throws Exception when the JVM refuses or a class could not be rewritten (the caller obeys on-error)
     */
    public static Installed install(Instrumentation instrumentation, List<Class<?>> targets, boolean attached,
            HookCache cache) throws Exception {
        if (!instrumentation.isRetransformClassesSupported()) {
            throw new IllegalStateException("the JVM does not support retransforming classes");
        }
        ChannelHooks.enableUnboundRedirectsOnFirstUse(new UnboundRedirects(instrumentation));
        Transformer transformer = new Transformer(cache);
        List<Class<?>> all = new ArrayList<>(targets);
        if (attached) {
            all.addAll(loadedPlatformTargets(instrumentation));
        }
        Installed installed = new Installed(instrumentation, transformer, all.toArray(new Class<?>[0]));
        Transformer.prepare();
        instrumentation.addTransformer(transformer, true);
        try {
            retransform(installed, transformer, cache);
        } catch (Exception | LinkageError e) {
            installed.remove();
            throw e;
        }
        return installed;
    }

    /**
     * Exports {@code sun.nio.ch} to the hooks' module so {@link ChannelHooks} can read a connecting
     * channel's port from its descriptor, and switches channels to unbound redirects. If that fails they
     * stay on the bind path. Run by the first channel connect (see
     * {@link ChannelHooks#enableUnboundRedirectsOnFirstUse}).
     */
    private record UnboundRedirects(Instrumentation instrumentation) implements Runnable {
        @Override
        public void run() {
            try {
                Module javaBase = Object.class.getModule();
                instrumentation.redefineModule(javaBase, Set.of(),
                        Map.of("sun.nio.ch", Set.of(ChannelHooks.class.getModule())), Map.of(), Set.of(), Map.of());
                ChannelHooks.enableUnboundRedirects();
            } catch (RuntimeException e) {
                // an unmodifiable module (never seen): the bind path stays
            }
        }
    }

    private static void retransform(Installed installed, Transformer transformer, HookCache cache) throws Exception {
        try {
            installed.instrumentation.retransformClasses(installed.targets);
        } catch (Exception | LinkageError e) {
            if (!transformer.servedFromCache) {
                throw e;
            }
            cache.discard();
            installed.instrumentation.retransformClasses(installed.targets);
        }
        if (transformer.failure != null) {
            throw new IllegalStateException("cannot instrument the socket classes: " + transformer.failure,
                    transformer.failure);
        }
    }

    /** Hooked platform and Netty classes the app already loaded (they are rewritten when they load otherwise). */
    private static List<Class<?>> loadedPlatformTargets(Instrumentation instrumentation) {
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            ClassLoader loader = type.getClassLoader(); // the boot loader's targets are linked and listed already
            if (loader != null && Transformer.targetOf(loader, type.getName().replace('.', '/'), true) != null) {
                loaded.add(type);
            }
        }
        return loaded;
    }

    /** The hooks in place; {@link #remove()} restores the JDK's original classes. */
    public static final class Installed {
        private final Instrumentation instrumentation;
        private final ClassFileTransformer transformer;
        private final Class<?>[] targets;

        private Installed(Instrumentation instrumentation, ClassFileTransformer transformer, Class<?>[] targets) {
            this.instrumentation = instrumentation;
            this.transformer = transformer;
            this.targets = targets;
        }

        public void remove() {
            instrumentation.removeTransformer(transformer);
            try {
                instrumentation.retransformClasses(targets);
            } catch (Exception | LinkageError e) {
                // the hooks stay in place but inert: Hooks has no observer
            }
        }
    }

    /**
     * Applies the hooks by class name: to bootstrap classes when they are retransformed (they were
     * loaded first, see {@link #linkTargets}), to the platform classes of {@code java.net.http} and to
     * every copy of Netty's {@code io.netty.channel.unix.Socket} and {@code epoll.AbstractEpollChannel} and
     * OkHttp's {@code ConnectPlan} (any loader, any package prefix) whenever they load or are retransformed;
     * leaves every other class alone.
     * A class is taken from the cache when it holds it, else rewritten by the {@link AdviceSet} and cached.
     */
    private static final class Transformer implements ClassFileTransformer {
        private static final ClassLoader PLATFORM_LOADER = ClassLoader.getPlatformClassLoader();
        private final HookCache cache;
        volatile Throwable failure;
        volatile boolean servedFromCache;

        Transformer(HookCache cache) {
            this.cache = cache;
        }

        /**
         * Loads and initialises what {@link #transform} runs for every class that loads, before it is
         * registered: a class it first needed while that very class was loading (its detector's set is a
         * {@code ConcurrentHashMap$KeySetView}) would fail that load with a {@code ClassCircularityError},
         * which the JVM keeps: the app's own later loads of it fail too.
         */
        static void prepare() {
            NativeTransportDetector.classLoading("socksbridge/prepare/Native");
            targetOf(PLATFORM_LOADER, "socksbridge/prepare/Socket", false);
        }

        /** The kind of hooked class {@code internalName} is in {@code loader}, or {@code null}. */
        static AdviceSet.Target targetOf(ClassLoader loader, String internalName, boolean redefining) {
            if (internalName == null) {
                return null;
            }
            boolean bootstrap = loader == null && redefining;
            boolean platform = loader != null && loader == PLATFORM_LOADER;
            if ((bootstrap || platform) && JDK_INTERNAL_NAMES.contains(internalName)) {
                return AdviceSet.Target.JDK;
            }
            if (loader != null && ClassNames.isOrRelocates(internalName, NettyInstrumentation.UNIX_SOCKET)) {
                return AdviceSet.Target.NETTY_SOCKET;
            }
            if (loader != null && ClassNames.isOrRelocates(internalName, NettyInstrumentation.EPOLL_CHANNEL)) {
                return AdviceSet.Target.NETTY_CHANNEL;
            }
            if (loader != null && ClassNames.isOrRelocates(internalName, OkHttpInstrumentation.CONNECT_PLAN)) {
                return AdviceSet.Target.OKHTTP_PLAN;
            }
            return null;
        }

        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                ProtectionDomain domain, byte[] bytes) {
            if (redefined == null) {
                NativeTransportDetector.classLoading(className);
            }
            AdviceSet.Target target = targetOf(loader, className, redefined != null);
            if (target == null) {
                return null;
            }
            byte[] cached = cache.get(className, bytes);
            if (cached != null) {
                servedFromCache = true;
                return cached;
            }
            try {
                byte[] rewritten = AdviceSet.get().rewrite(target, loader, className, redefined, bytes);
                cache.put(className, bytes, rewritten);
                return rewritten;
            } catch (Throwable e) {
                failed(target, className, redefined, e);
                return null;
            }
        }

        private void failed(AdviceSet.Target target, String className, Class<?> redefined, Throwable e) {
            String name = className.replace('/', '.');
            switch (target) { // an app's library: the agent runs on without this hook
                case OKHTTP_PLAN -> LogSink.warn("cannot hook " + name + " (" + e
                        + "): OkHttp's connects on its own threads will not name the app's frame");
                case NETTY_SOCKET -> LogSink.warn("cannot hook " + name + " (" + e
                        + "): this Netty's native (epoll, kqueue) connections are not captured");
                case NETTY_CHANNEL -> LogSink.warn("cannot hook " + name + " (" + e
                        + "): this Netty's epoll connects wait on the event loop for the proxy, whose dial "
                        + "ignores CONNECT_TIMEOUT_MILLIS");
                case JDK -> {
                    failure = e;
                    if (redefined == null) { // the class loads unchanged; only its hook is missing
                        LogSink.warn("cannot hook " + name + " (" + e
                                + "): HttpClient.sendAsync connections will show caller=unknown");
                    }
                }
            }
        }
    }

    /** Inlined into {@code Socket.connect(SocketAddress, int)}. */
    static final class SocketConnectAdvice {
        private SocketConnectAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) SocketAddress endpoint, @Advice.Argument(1) int timeout) {
            return Hooks.socketConnectEnter(endpoint, timeout);
        }

        /** Replaces a proxied connect's SOCKS failure by the direct one (the hook returns {@code thrown} otherwise). */
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object pending, @Advice.Thrown(readOnly = false) Throwable thrown) {
            thrown = Hooks.socketConnectExit(pending, thrown);
        }
    }

    /** Inlined into the socket implementations' {@code connect(SocketAddress, int)}. */
    static final class ImplConnectAdvice {
        private ImplConnectAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) SocketAddress endpoint, @Advice.FieldValue("localport") int localPort,
                @Advice.Thrown Throwable thrown) {
            Hooks.implConnectExit(endpoint, localPort, thrown);
        }
    }
}
