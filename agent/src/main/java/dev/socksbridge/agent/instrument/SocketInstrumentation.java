package dev.socksbridge.agent.instrument;

import dev.socksbridge.agent.bootstrap.Hooks;
import dev.socksbridge.agent.report.LogSink;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.SocketAddress;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeInitializer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.auxiliary.AuxiliaryType;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Hooks the JDK's blocking socket connect path with Byte Buddy {@link Advice}, applied by a minimal
 * {@link ClassFileTransformer} to just the named classes. A general {@code AgentBuilder} costs half a
 * second or more of start-up (it loads and sets up most of Byte Buddy); rewriting three known classes
 * needs only the Advice visitor and ASM.
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

    private SocketInstrumentation() {
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
     * as retransformation requires.
     *
     * @param targets from {@link #linkTargets()}
     * @throws Exception when the JVM refuses or a class could not be rewritten (the caller obeys on-error)
     */
    public static Installed install(Instrumentation instrumentation, List<Class<?>> targets) throws Exception {
        if (!instrumentation.isRetransformClassesSupported()) {
            throw new IllegalStateException("the JVM does not support retransforming classes");
        }
        ElementMatcher.Junction<MethodDescription> connect =
                named("connect").and(takesArguments(SocketAddress.class, int.class));
        Map<String, AsmVisitorWrapper> byName = new LinkedHashMap<>();
        ClassFileLocator advice = adviceLocator();
        byName.put(SOCKET, Advice.to(SocketConnectAdvice.class, advice).on(connect));
        AsmVisitorWrapper impl = Advice.to(ImplConnectAdvice.class, advice).on(connect);
        byName.put(NIO_IMPL, impl);
        byName.put(PLAIN_IMPL, impl);
        ChannelInstrumentation.addTo(byName, advice);
        ChannelInstrumentation.enableUnboundRedirects(instrumentation);
        TrafficInstrumentation.addTo(byName, advice);
        HttpClientInstrumentation.addTo(byName, advice);

        Transformer transformer = new Transformer(byName, NettyInstrumentation.wrapper(advice),
                OkHttpInstrumentation.wrapper(advice));
        List<Class<?>> all = new ArrayList<>(targets);
        all.addAll(loadedPlatformTargets(instrumentation)); // after a dynamic attach
        Installed installed = new Installed(instrumentation, transformer, all.toArray(new Class<?>[0]));
        instrumentation.addTransformer(transformer, true);
        instrumentation.retransformClasses(installed.targets);
        if (transformer.failure != null) {
            installed.remove();
            throw new IllegalStateException("cannot instrument the socket classes: " + transformer.failure,
                    transformer.failure);
        }
        return installed;
    }

    /** Hooked platform and Netty classes the app already loaded (they are rewritten when they load otherwise). */
    private static List<Class<?>> loadedPlatformTargets(Instrumentation instrumentation) {
        List<Class<?>> loaded = new ArrayList<>();
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (HttpClientInstrumentation.isTarget(type.getName()) && type.getClassLoader() == platform) {
                loaded.add(type);
            } else if (NettyInstrumentation.isNettySocket(type.getName().replace('.', '/'))
                    || OkHttpInstrumentation.isConnectPlan(type.getName().replace('.', '/'))) {
                loaded.add(type); // any loader: the app's Netty or OkHttp, and every relocated copy
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
     * Where the advice classes' bytes come from: the agent's class loader, which serves its class files as
     * resources both after -javaagent and after a dynamic attach.
     */
    private static ClassFileLocator adviceLocator() {
        return ClassFileLocator.ForClassLoader.of(SocketInstrumentation.class.getClassLoader());
    }

    /**
     * Applies the advice by class name: to bootstrap classes when they are retransformed (they were
     * loaded first, see {@link #linkTargets}), to the platform class {@code HttpClientImpl} and to every
     * copy of Netty's {@code io.netty.channel.unix.Socket} (any loader, any package prefix) whenever they
     * load or are retransformed; leaves every other class alone.
     */
    private static final class Transformer implements ClassFileTransformer {
        private static final ClassLoader PLATFORM_LOADER = ClassLoader.getPlatformClassLoader();
        private final Map<String, AsmVisitorWrapper> byInternalName = new LinkedHashMap<>();
        private final AsmVisitorWrapper nettySocket;
        private final AsmVisitorWrapper okHttpPlan;
        volatile Throwable failure;

        Transformer(Map<String, AsmVisitorWrapper> byName, AsmVisitorWrapper nettySocket,
                AsmVisitorWrapper okHttpPlan) {
            byName.forEach((name, wrapper) -> byInternalName.put(name.replace('.', '/'), wrapper));
            this.nettySocket = nettySocket;
            this.okHttpPlan = okHttpPlan;
        }

        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                ProtectionDomain domain, byte[] bytes) {
            if (redefined == null) {
                NativeTransportDetector.classLoading(className);
            }
            boolean bootstrap = loader == null && redefined != null;
            boolean platform = loader != null && loader == PLATFORM_LOADER;
            AsmVisitorWrapper wrapper = bootstrap || platform ? byInternalName.get(className) : null;
            if (wrapper == null && loader != null && className != null && NettyInstrumentation.isNettySocket(className)) {
                wrapper = nettySocket;
            }
            if (wrapper == null && loader != null && className != null && OkHttpInstrumentation.isConnectPlan(className)) {
                wrapper = okHttpPlan;
            }
            if (wrapper == null) {
                return null;
            }
            try {
                TypeDescription type = redefined != null ? TypeDescription.ForLoadedType.of(redefined)
                        : describe(loader, className, bytes);
                return apply(wrapper, type, bytes);
            } catch (Throwable e) {
                if (wrapper == okHttpPlan) { // an app's library: the agent runs on without this hook
                    LogSink.warn("cannot hook " + className.replace('/', '.') + " (" + e
                            + "): OkHttp's connects on its own threads will not name the app's frame");
                    return null;
                }
                if (wrapper == nettySocket) { // an app's library: the agent runs on without this hook
                    LogSink.warn("cannot hook " + className.replace('/', '.') + " (" + e
                            + "): this Netty's native (epoll, kqueue) connections are not captured");
                    return null;
                }
                failure = e;
                if (redefined == null) { // the class loads unchanged; only its hook is missing
                    LogSink.warn("cannot hook " + className.replace('/', '.') + " (" + e
                            + "): HttpClient.sendAsync connections will show caller=unknown");
                }
                return null;
            }
        }

        /** A class being loaded, described from its bytes and the class files its loader can find. */
        private static TypeDescription describe(ClassLoader loader, String internalName, byte[] bytes) {
            String name = internalName.replace('/', '.');
            ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, bytes),
                    ClassFileLocator.ForClassLoader.of(loader));
            return TypePool.Default.of(locator).describe(name).resolve();
        }

        private static byte[] apply(AsmVisitorWrapper wrapper, TypeDescription type, byte[] bytes) {
            ClassFileVersion version = ClassFileVersion.ofClassFile(bytes);
            int writerFlags = wrapper.mergeWriter(AsmVisitorWrapper.NO_FLAGS);
            int readerFlags = wrapper.mergeReader(AsmVisitorWrapper.NO_FLAGS);
            ClassReader reader = new ClassReader(bytes);
            ClassWriter writer = new ClassWriter(reader, writerFlags);
            Implementation.Context context = Implementation.Context.Disabled.Factory.INSTANCE.make(type,
                    new AuxiliaryType.NamingStrategy.Suffixing("socksbridge"), TypeInitializer.None.INSTANCE,
                    version, version);
            ClassVisitor visitor = wrapper.wrap(type, writer, context, TypePool.Empty.INSTANCE,
                    type.getDeclaredFields(), type.getDeclaredMethods(), writerFlags, readerFlags);
            reader.accept(visitor, readerFlags);
            return writer.toByteArray();
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
