package dev.socksbridge.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.concurrent.Executor;

/**
 * The members of one copy of Netty's epoll channel ({@code io.netty.channel.epoll.AbstractEpollChannel},
 * the original or a relocated one such as gRPC's) that {@link NettyChannelConnect} uses, reached by name
 * because the agent cannot link against the app's classes: the public {@code Channel.config()},
 * {@code ChannelConfig.getConnectTimeoutMillis()}, {@code Channel.eventLoop()}, {@code Channel.isOpen()},
 * {@code Channel.unsafe()}, the package-private {@code AbstractEpollUnsafe.epollOutReady()}, what Netty's
 * event loop calls when epoll reports the socket writable (for a channel whose connect is pending it
 * completes the connect: {@code finishConnect}), and the package-private
 * {@code AbstractEpollChannel.clearFlag(Native.EPOLLOUT)}, which stops epoll from reporting it. The same
 * members in Netty 4.1 and 4.2.
 */
final class NettyChannelAccess {

    private static final String CHANNEL_SUFFIX = "io.netty.channel.epoll.AbstractEpollChannel";
    private static final String CHANNEL_PACKAGE_SUFFIX = "io.netty.channel.";

    private static final ClassValue<NettyChannelAccess> BY_CLASS = new ClassValue<>() {
        @Override
        protected NettyChannelAccess computeValue(Class<?> type) {
            return new NettyChannelAccess(type);
        }
    };

    private final MethodHandle config;
    private final MethodHandle connectTimeoutMillis;
    private final MethodHandle eventLoop;
    private final MethodHandle isOpen;
    private final MethodHandle unsafe;
    private final MethodHandle epollOutReady;
    private final MethodHandle clearFlag;
    private final int epollOut;

    private NettyChannelAccess(Class<?> type) {
        try {
            Class<?> epollChannel = epollChannel(type);
            String prefix = epollChannel.getName().substring(0, epollChannel.getName().length() - CHANNEL_SUFFIX.length())
                    + CHANNEL_PACKAGE_SUFFIX;
            ClassLoader loader = epollChannel.getClassLoader();
            Class<?> channel = Class.forName(prefix + "Channel", false, loader);
            Class<?> channelConfig = Class.forName(prefix + "ChannelConfig", false, loader);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            config = lookup.findVirtual(channel, "config", MethodType.methodType(channelConfig));
            connectTimeoutMillis = lookup.findVirtual(channelConfig, "getConnectTimeoutMillis",
                    MethodType.methodType(int.class));
            eventLoop = lookup.findVirtual(channel, "eventLoop",
                    MethodType.methodType(Class.forName(prefix + "EventLoop", false, loader)));
            isOpen = lookup.findVirtual(channel, "isOpen", MethodType.methodType(boolean.class));
            unsafe = lookup.findVirtual(channel, "unsafe",
                    MethodType.methodType(Class.forName(prefix + "Channel$Unsafe", false, loader)));
            Method ready = Class.forName(epollChannel.getName() + "$AbstractEpollUnsafe", false, loader)
                    .getDeclaredMethod("epollOutReady");
            ready.setAccessible(true); // Netty is in the app's unnamed module, open to every module
            epollOutReady = MethodHandles.lookup().unreflect(ready);
            Method clear = epollChannel.getDeclaredMethod("clearFlag", int.class);
            clear.setAccessible(true);
            clearFlag = MethodHandles.lookup().unreflect(clear);
            epollOut = Class.forName(epollChannel.getPackageName() + ".Native", false, loader)
                    .getField("EPOLLOUT").getInt(null);
        } catch (Throwable e) {
            throw new IllegalStateException("not a Netty epoll channel: " + type.getName(), e);
        }
    }

    /** @throws IllegalStateException when the channel's class does not look like Netty's epoll channel */
    static NettyChannelAccess of(Object channel) {
        return BY_CLASS.get(channel.getClass());
    }

    /** The {@code AbstractEpollChannel} class this class is or extends. */
    private static Class<?> epollChannel(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().endsWith(CHANNEL_SUFFIX)) {
                return c;
            }
        }
        throw new IllegalArgumentException(type.getName());
    }

    /** {@code ChannelOption.CONNECT_TIMEOUT_MILLIS} of the channel (0: none). */
    int connectTimeoutMillis(Object channel) throws Throwable {
        return (int) connectTimeoutMillis.invoke(config.invoke(channel));
    }

    /** Runs {@code task} on the channel's event loop (the task must not throw). */
    void execute(Object channel, Runnable task) throws Throwable {
        ((Executor) eventLoop.invoke(channel)).execute(task);
    }

    boolean isOpen(Object channel) throws Throwable {
        return (boolean) isOpen.invoke(channel);
    }

    /**
     * What the event loop does when epoll reports the socket writable: for a pending connect, Netty's
     * {@code finishConnect}. On the channel's event loop only.
     */
    void epollOutReady(Object channel) throws Throwable {
        epollOutReady.invoke(unsafe.invoke(channel));
    }

    /**
     * Stops epoll from reporting the socket writable: Netty 4.2 registers its channels level-triggered (as
     * 4.1 does with {@code EpollMode.LEVEL_TRIGGERED}), so a connected socket whose connect Netty still
     * thinks pending would wake the event loop again and again. On the channel's event loop only.
     */
    void stopWritableEvents(Object channel) throws Throwable {
        clearFlag.invoke(channel, epollOut);
    }
}
