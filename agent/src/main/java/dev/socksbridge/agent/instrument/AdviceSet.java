package dev.socksbridge.agent.instrument;

import java.net.SocketAddress;
import java.util.LinkedHashMap;
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
 * Every hook as Byte Buddy {@link Advice}, and the rewriting of a class with it. The only class of the
 * transformer that touches Byte Buddy: it is made on the first class the {@link HookCache} cannot serve,
 * so a start that finds every class there loads no Byte Buddy at all.
 */
final class AdviceSet {

    /** By the JDK class's internal name: its wrapper (the set of names is {@link SocketInstrumentation#JDK_CLASSES}). */
    private final Map<String, AsmVisitorWrapper> byInternalName = new LinkedHashMap<>();
    private final AsmVisitorWrapper nettySocket;
    private final AsmVisitorWrapper nettyChannel;
    private final AsmVisitorWrapper okHttpPlan;

    private AdviceSet() {
        ClassFileLocator advice = ClassFileLocator.ForClassLoader.of(AdviceSet.class.getClassLoader());
        Map<String, AsmVisitorWrapper> byName = new LinkedHashMap<>();
        ElementMatcher.Junction<MethodDescription> connect =
                named("connect").and(takesArguments(SocketAddress.class, int.class));
        byName.put(SocketInstrumentation.SOCKET, Advice.to(SocketInstrumentation.SocketConnectAdvice.class, advice).on(connect));
        AsmVisitorWrapper impl = Advice.to(SocketInstrumentation.ImplConnectAdvice.class, advice).on(connect);
        byName.put(SocketInstrumentation.NIO_IMPL, impl);
        byName.put(SocketInstrumentation.PLAIN_IMPL, impl);
        ChannelInstrumentation.addTo(byName, advice);
        TrafficInstrumentation.addTo(byName, advice);
        HttpClientInstrumentation.addTo(byName, advice);
        if (!byName.keySet().equals(SocketInstrumentation.JDK_CLASSES)) { // a hook added in one place only
            throw new IllegalStateException("hooked JDK classes " + byName.keySet() + " differ from the names "
                    + "the transformer matches " + SocketInstrumentation.JDK_CLASSES);
        }
        for (Map.Entry<String, AsmVisitorWrapper> hook : byName.entrySet()) {
            byInternalName.put(hook.getKey().replace('.', '/'), hook.getValue());
        }
        this.nettySocket = NettyInstrumentation.wrapper(advice);
        this.nettyChannel = NettyInstrumentation.channelWrapper(advice);
        this.okHttpPlan = OkHttpInstrumentation.wrapper(advice);
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

    /** {@code bytes} with the hooks of {@code target}; {@code redefined} is the loaded class, if any. */
    byte[] rewrite(Target target, ClassLoader loader, String internalName, Class<?> redefined, byte[] bytes) {
        AsmVisitorWrapper wrapper = switch (target) {
            case JDK -> byInternalName.get(internalName);
            case NETTY_SOCKET -> nettySocket;
            case NETTY_CHANNEL -> nettyChannel;
            case OKHTTP_PLAN -> okHttpPlan;
        };
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
