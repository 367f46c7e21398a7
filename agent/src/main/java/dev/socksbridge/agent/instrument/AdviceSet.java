package dev.socksbridge.agent.instrument;

import java.net.SocketAddress;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
 * Every hook as Byte Buddy {@link Advice}, and the rewriting of a class with it. The only class of the
 * transformer that touches Byte Buddy: it is made on the first class the {@link HookCache} cannot serve,
 * so a start that finds every class there loads no Byte Buddy at all.
 *
 * <p>Each group of advice is made when a class of it is first rewritten. A first start (nothing cached)
 * rewrites only the socket, channel and lookup classes before {@code main}; the advice for HttpClient,
 * Netty and OkHttp, parsed in the interpreter, would add tens of milliseconds to it for classes that may
 * never load.
 */
final class AdviceSet {

    private final ClassFileLocator advice = ClassFileLocator.ForClassLoader.of(AdviceSet.class.getClassLoader());
    /** The JDK's socket, channel and lookup classes, by internal name: every one of them is rewritten at start. */
    private final Map<String, AsmVisitorWrapper> coreJdk;
    private Map<String, AsmVisitorWrapper> httpClient;
    private AsmVisitorWrapper nettySocket;
    private AsmVisitorWrapper nettyChannel;
    private AsmVisitorWrapper okHttpPlan;

    private AdviceSet() {
        Map<String, AsmVisitorWrapper> byName = new LinkedHashMap<>();
        ElementMatcher.Junction<MethodDescription> connect =
                named("connect").and(takesArguments(SocketAddress.class, int.class));
        byName.put(SocketInstrumentation.SOCKET, Advice.to(SocketInstrumentation.SocketConnectAdvice.class, advice).on(connect));
        AsmVisitorWrapper impl = Advice.to(SocketInstrumentation.ImplConnectAdvice.class, advice).on(connect);
        byName.put(SocketInstrumentation.NIO_IMPL, impl);
        byName.put(SocketInstrumentation.PLAIN_IMPL, impl);
        ChannelInstrumentation.addTo(byName, advice);
        TrafficInstrumentation.addTo(byName, advice);
        coreJdk = byInternalName(byName);
    }

    private static Map<String, AsmVisitorWrapper> byInternalName(Map<String, AsmVisitorWrapper> byName) {
        Map<String, AsmVisitorWrapper> internal = new LinkedHashMap<>();
        for (Map.Entry<String, AsmVisitorWrapper> hook : byName.entrySet()) {
            internal.put(hook.getKey().replace('.', '/'), hook.getValue());
        }
        return internal;
    }

    private static volatile AdviceSet built;

    /** The one set of this agent, made on first use. */
    static AdviceSet get() {
        AdviceSet set = built;
        if (set == null) {
            synchronized (AdviceSet.class) {
                if (built == null) {
                    built = new AdviceSet();
                }
                set = built;
            }
        }
        return set;
    }

    /**
     * The JDK classes this set has a hook for, every group made (for the check that they are the names
     * the transformer matches, {@link SocketInstrumentation#JDK_CLASSES}).
     */
    synchronized Set<String> hookedJdkClasses() {
        Set<String> names = new HashSet<>();
        for (String internalName : coreJdk.keySet()) {
            names.add(internalName.replace('/', '.'));
        }
        for (String internalName : httpClient().keySet()) {
            names.add(internalName.replace('/', '.'));
        }
        return names;
    }

    /** The hook of a class of {@code target}, its group made now if this is its first class. */
    private synchronized AsmVisitorWrapper wrapper(Target target, String internalName) {
        return switch (target) {
            case JDK -> coreJdk.containsKey(internalName) ? coreJdk.get(internalName) : httpClient().get(internalName);
            case NETTY_SOCKET -> nettySocket != null ? nettySocket : (nettySocket = NettyInstrumentation.wrapper(advice));
            case NETTY_CHANNEL -> nettyChannel != null ? nettyChannel
                    : (nettyChannel = NettyInstrumentation.channelWrapper(advice));
            case OKHTTP_PLAN -> okHttpPlan != null ? okHttpPlan : (okHttpPlan = OkHttpInstrumentation.wrapper(advice));
        };
    }

    private Map<String, AsmVisitorWrapper> httpClient() {
        if (httpClient == null) {
            Map<String, AsmVisitorWrapper> byName = new LinkedHashMap<>();
            HttpClientInstrumentation.addTo(byName, advice);
            httpClient = byInternalName(byName);
        }
        return httpClient;
    }

    /** {@code bytes} with the hooks of {@code target}; {@code redefined} is the loaded class, if any. */
    byte[] rewrite(Target target, ClassLoader loader, String internalName, Class<?> redefined, byte[] bytes) {
        AsmVisitorWrapper wrapper = wrapper(target, internalName);
        if (wrapper == null) { // a name the transformer matches but no group hooks: see hookedJdkClasses
            throw new IllegalStateException("no hook for " + internalName);
        }
        TypeDescription type = redefined != null ? TypeDescription.ForLoadedType.of(redefined)
                : describe(loader, internalName, bytes);
        return apply(wrapper, type, bytes);
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

    /** What kind of hooked class is being rewritten. */
    enum Target { JDK, NETTY_SOCKET, NETTY_CHANNEL, OKHTTP_PLAN }
}
