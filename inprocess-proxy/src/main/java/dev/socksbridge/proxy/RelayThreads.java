package dev.socksbridge.proxy;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes session threads: virtual where the running JVM has them (21+), found through a method handle
 * because the bytecode targets Java 17; daemon platform threads otherwise. Both are named
 * {@code prefix + n} so a thread dump shows whose they are.
 */
final class RelayThreads {

    /** {@code Thread.ofVirtual()}, or null on a JVM without (non-preview) virtual threads. */
    private static final MethodHandle OF_VIRTUAL = findOfVirtual();

    private RelayThreads() {
    }

    /** Whether {@link #factory} makes virtual threads on this JVM. */
    static boolean virtualThreadsAvailable() {
        return OF_VIRTUAL != null;
    }

    /** A thread-safe factory of unstarted threads named {@code prefix0, prefix1, ...}. */
    static ThreadFactory factory(String prefix) {
        if (OF_VIRTUAL != null) {
            try {
                return virtualFactory(prefix);
            } catch (Throwable e) {
                // Cannot happen once findOfVirtual succeeded; fall back rather than fail the server.
            }
        }
        return platformFactory(prefix);
    }

    private static ThreadFactory virtualFactory(String prefix) throws Throwable {
        Class<?> builderType = Class.forName("java.lang.Thread$Builder");
        MethodHandle name = MethodHandles.publicLookup().findVirtual(builderType, "name",
                MethodType.methodType(builderType, String.class, long.class));
        MethodHandle factory = MethodHandles.publicLookup().findVirtual(builderType, "factory",
                MethodType.methodType(ThreadFactory.class));
        Object builder = OF_VIRTUAL.invoke();
        builder = name.invoke(builder, prefix, 0L);
        return (ThreadFactory) factory.invoke(builder);
    }

    private static ThreadFactory platformFactory(String prefix) {
        AtomicLong counter = new AtomicLong();
        return task -> {
            Thread thread = new Thread(task, prefix + counter.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static MethodHandle findOfVirtual() {
        try {
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            MethodHandle handle = MethodHandles.publicLookup().findStatic(Thread.class, "ofVirtual",
                    MethodType.methodType(ofVirtual));
            handle.invoke(); // JDK 19/20 have it as a preview API that throws unless enabled
            return handle;
        } catch (Throwable e) {
            return null;
        }
    }
}
