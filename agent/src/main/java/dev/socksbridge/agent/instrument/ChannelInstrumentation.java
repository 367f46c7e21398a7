package dev.socksbridge.agent.instrument;

import dev.socksbridge.agent.bootstrap.AsyncChannelHooks;
import dev.socksbridge.agent.bootstrap.ChannelHooks;
import dev.socksbridge.agent.bootstrap.ConnectRefusal;
import java.io.FileDescriptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Hooks the JDK's NIO TCP channels, which ignore every proxy setting (Netty, Lettuce, Vert.x, the JDK's
 * HttpClient...): {@code sun.nio.ch.SocketChannelImpl} ({@code connect}, the socket adaptor's
 * {@code blockingConnect}, {@code finishConnect}) and, on Linux and macOS,
 * {@code sun.nio.ch.UnixAsynchronousSocketChannelImpl} ({@code implConnect}, {@code setConnected}).
 * Names and signatures are the same from JDK 17 to 25. The work is in {@link ChannelHooks}.
 */
final class ChannelInstrumentation {

    static final String SOCKET_CHANNEL = "sun.nio.ch.SocketChannelImpl";
    static final String ASYNC_CHANNEL = "sun.nio.ch.UnixAsynchronousSocketChannelImpl";

    private ChannelInstrumentation() {
    }

    static void addTo(Map<String, AsmVisitorWrapper> byName, ClassFileLocator advice) {
        byName.put(SOCKET_CHANNEL, new AsmVisitorWrapper.ForDeclaredMethods()
                .method(named("connect").and(takesArguments(SocketAddress.class)),
                        Advice.to(ConnectEnterAdvice.class, ConnectExitAdvice.class, advice))
                .method(named("blockingConnect").and(takesArguments(SocketAddress.class, long.class)),
                        Advice.to(BlockingConnectEnterAdvice.class, BlockingConnectExitAdvice.class, advice))
                .method(named("finishConnect").and(takesArguments(0)),
                        Advice.to(FinishConnectAdvice.class, advice))
                .method(named("implConfigureBlocking").and(takesArguments(boolean.class)),
                        Advice.to(NonBlockingAdvice.class, advice)));
        byName.put(ASYNC_CHANNEL, new AsmVisitorWrapper.ForDeclaredMethods()
                .method(named("implConnect").and(takesArguments(3)),
                        Advice.to(ConnectEnterAdvice.class, AsyncConnectExitAdvice.class, advice))
                .method(named("setConnected").and(takesArguments(0)), Advice.to(AsyncConnectedAdvice.class, advice)));
    }

    /**
     * Inlined into {@code SocketChannelImpl.implConfigureBlocking(boolean)}: a channel made non-blocking
     * before it connects is the kind a library may connect from another thread (Netty does this right
     * where the app's {@code Bootstrap.connect} creates the channel), so its creator is remembered then.
     * Blocking channels pay nothing for it.
     */
    static final class NonBlockingAdvice {
        private NonBlockingAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object channel, @Advice.Argument(0) boolean block) {
            if (!block) {
                ChannelHooks.madeNonBlocking(channel);
            }
        }
    }

    /**
     * Entry of {@code SocketChannelImpl.connect(SocketAddress)} and
     * {@code UnixAsynchronousSocketChannelImpl.implConnect}:
     * a redirected connect goes to the proxy instead, unbound; each exit registers the port the connect
     * got, read from the channel's descriptor. A connect refused in {@code mode=enforce} skips the body
     * (no system call) and fails in the exit.
     */
    static final class ConnectEnterAdvice {
        private ConnectEnterAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = ConnectRefusal.class, suppress = Throwable.class)
        static Object enter(@Advice.This Object channel,
                @Advice.Argument(value = 0, readOnly = false) SocketAddress remote) {
            Object pending = ChannelHooks.connectEnter(channel, remote);
            remote = ChannelHooks.target(pending, remote);
            return pending;
        }
    }

    /**
     * Entry of the socket adaptor's {@code blockingConnect(SocketAddress, long nanos)}: as
     * {@link ConnectEnterAdvice}, and the proxy dials with the app's timeout ({@code nanos}, 0: none).
     */
    static final class BlockingConnectEnterAdvice {
        private BlockingConnectEnterAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = ConnectRefusal.class, suppress = Throwable.class)
        static Object enter(@Advice.This Object channel,
                @Advice.Argument(value = 0, readOnly = false) SocketAddress remote, @Advice.Argument(1) long nanos) {
            Object pending = ChannelHooks.connectEnter(channel, remote, nanos);
            remote = ChannelHooks.target(pending, remote);
            return pending;
        }
    }

    /**
     * Exit of {@code UnixAsynchronousSocketChannelImpl.implConnect(remote, attachment, handler)}, whose
     * outcome goes to the returned future or the handler: see {@link AsyncChannelHooks#asyncConnectExit}.
     */
    static final class AsyncConnectExitAdvice {
        private AsyncConnectExitAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object channel, @Advice.Enter Object pending,
                @Advice.FieldValue("fd") FileDescriptor fd, @Advice.FieldValue("port") Object group,
                @Advice.Argument(1) Object attachment, @Advice.Argument(2) Object handler,
                @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
                @Advice.Thrown Throwable thrown) {
            if (pending != null) {
                result = AsyncChannelHooks.asyncConnectExit(channel, pending, fd, group, attachment, handler, result,
                        thrown);
            }
        }
    }

    /** Exit of {@code SocketChannelImpl.connect(SocketAddress)}. */
    static final class ConnectExitAdvice {
        private ConnectExitAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object channel, @Advice.Enter Object pending,
                @Advice.Return boolean connected, @Advice.FieldValue("fd") FileDescriptor fd,
                @Advice.FieldValue(value = "remoteAddress", readOnly = false) SocketAddress remoteAddress,
                @Advice.Thrown(readOnly = false, typing = Assigner.Typing.DYNAMIC) Throwable thrown) {
            if (pending != null) {
                remoteAddress = ChannelHooks.remoteAddress(pending, remoteAddress);
                thrown = ChannelHooks.connectExit(channel, pending, connected, thrown, 0, fd);
            }
        }
    }

    /** Exit of {@code SocketChannelImpl.blockingConnect(SocketAddress, long)} (the socket adaptor). */
    static final class BlockingConnectExitAdvice {
        private BlockingConnectExitAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object channel, @Advice.Enter Object pending, @Advice.Argument(1) long nanos,
                @Advice.FieldValue("fd") FileDescriptor fd,
                @Advice.FieldValue(value = "remoteAddress", readOnly = false) SocketAddress remoteAddress,
                @Advice.Thrown(readOnly = false, typing = Assigner.Typing.DYNAMIC) Throwable thrown) {
            if (pending != null) {
                remoteAddress = ChannelHooks.remoteAddress(pending, remoteAddress);
                thrown = ChannelHooks.connectExit(channel, pending, true, thrown, nanos, fd);
            }
        }
    }

    /** Inlined into {@code SocketChannelImpl.finishConnect()}. */
    static final class FinishConnectAdvice {
        private FinishConnectAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object channel, @Advice.Return boolean connected,
                @Advice.Thrown(readOnly = false, typing = Assigner.Typing.DYNAMIC) Throwable thrown) {
            thrown = ChannelHooks.finishConnectExit(channel, connected, thrown);
        }
    }

    /** Inlined into {@code UnixAsynchronousSocketChannelImpl.setConnected()}, called when the connect completes. */
    static final class AsyncConnectedAdvice {
        private AsyncConnectedAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object channel, @Advice.FieldValue("fd") FileDescriptor fd,
                @Advice.FieldValue(value = "remoteAddress", readOnly = false) InetSocketAddress remoteAddress,
                @Advice.Thrown(readOnly = false, typing = Assigner.Typing.DYNAMIC) Throwable thrown) {
            remoteAddress = AsyncChannelHooks.asyncRemoteAddress(channel, remoteAddress);
            thrown = AsyncChannelHooks.asyncConnectedExit(channel, thrown, fd);
        }
    }
}
