package dev.socksbridge.agent.instrument;

import dev.socksbridge.agent.bootstrap.ConnectRefusal;
import dev.socksbridge.agent.bootstrap.NettyHooks;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Hooks Netty's native socket, {@code io.netty.channel.unix.Socket}, through which the epoll and kqueue
 * transports create, connect and finish connecting their TCP sockets and read the peer's address. Apps
 * load Netty with their own class loader, often more than one copy of it, relocated by the library that
 * bundles it (gRPC's {@code io.grpc.netty.shaded.io.netty}), so the class is matched by the end of its
 * name, whatever the loader, when it loads (or is retransformed after a dynamic attach). The advice
 * calls {@link NettyHooks} on the boot class path, which every class loader reaches. The epoll channel,
 * {@code io.netty.channel.epoll.AbstractEpollChannel}, is hooked the same way where it connects its socket,
 * so the socket's hooks know the channel (its connect timeout, its event loop). Netty 4.1 and 4.2 have the
 * same members.
 */
final class NettyInstrumentation {

    /** Internal name, as the class file transformer sees it (matched by {@link ClassNames#isOrRelocates}). */
    static final String UNIX_SOCKET = "io/netty/channel/unix/Socket";
    /** The epoll transport's channel base class, also matched by the end of its name. */
    static final String EPOLL_CHANNEL = "io/netty/channel/epoll/AbstractEpollChannel";

    private NettyInstrumentation() {
    }

    static AsmVisitorWrapper wrapper(ClassFileLocator advice) {
        return new AsmVisitorWrapper.ForDeclaredMethods()
                .constructor(takesArguments(int.class), Advice.to(CreatedAdvice.class, advice))
                .method(named("newSocketStream0").and(takesArguments(boolean.class)),
                        Advice.to(StreamOpenedAdvice.class, advice))
                .method(named("connect").and(takesArguments(SocketAddress.class)), Advice.to(ConnectAdvice.class, advice))
                .method(named("finishConnect").and(takesArguments(0)), Advice.to(FinishConnectAdvice.class, advice))
                .method(named("remoteAddress").and(takesArguments(0)).and(returns(InetSocketAddress.class)),
                        Advice.to(RemoteAddressAdvice.class, advice));
    }

    /** The hook of {@code AbstractEpollChannel}: its {@code doConnect(SocketAddress remote, SocketAddress local)}. */
    static AsmVisitorWrapper channelWrapper(ClassFileLocator advice) {
        return new AsmVisitorWrapper.ForDeclaredMethods()
                .method(named("doConnect").and(takesArguments(SocketAddress.class, SocketAddress.class)),
                        Advice.to(ChannelConnectAdvice.class, advice));
    }

    /** Inlined at the exit of the static {@code newSocketStream0(boolean)}: a client or server socket opens. */
    static final class StreamOpenedAdvice {
        private StreamOpenedAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit() {
            NettyHooks.streamSocketOpened();
        }
    }

    /** Inlined at the exit of the {@code Socket(int fd)} constructor. */
    static final class CreatedAdvice {
        private CreatedAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object socket) {
            NettyHooks.socketCreated(socket);
        }
    }

    /**
     * Inlined into {@code connect(SocketAddress)}: a redirected connect goes to the proxy instead; one
     * refused in {@code mode=enforce} skips the body (no system call) and throws in the exit.
     */
    static final class ConnectAdvice {
        private ConnectAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = ConnectRefusal.class, suppress = Throwable.class)
        static Object enter(@Advice.This Object socket,
                @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) SocketAddress remote) {
            Object pending = NettyHooks.connectEnter(socket, remote);
            remote = NettyHooks.target(pending, remote);
            return pending;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object socket, @Advice.Enter Object pending,
                @Advice.Return(readOnly = false) boolean connected,
                @Advice.Thrown(readOnly = false, typing = Assigner.Typing.DYNAMIC) Throwable thrown) {
            if (pending != null) {
                Throwable outcome = NettyHooks.connectExit(socket, pending, connected, thrown);
                connected = connected && outcome != NettyHooks.NOT_YET;
                thrown = outcome == NettyHooks.NOT_YET ? null : outcome;
            }
        }
    }

    /**
     * Inlined into {@code finishConnect()}: the completion ends with the proxy's upstream result, or
     * returns false ("not connected yet") until the proxy answered.
     */
    static final class FinishConnectAdvice {
        private FinishConnectAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object socket, @Advice.Return(readOnly = false) boolean connected,
                @Advice.Thrown(readOnly = false, typing = Assigner.Typing.DYNAMIC) Throwable thrown) {
            Throwable outcome = NettyHooks.finishConnectExit(socket, connected, thrown);
            connected = connected && outcome != NettyHooks.NOT_YET;
            thrown = outcome == NettyHooks.NOT_YET ? null : outcome;
        }
    }

    /**
     * Inlined into the epoll channel's {@code doConnect(SocketAddress, SocketAddress)}, which connects its
     * socket on the event loop: the socket's connect hook learns which channel it serves (its connect
     * timeout, its event loop).
     */
    static final class ChannelConnectAdvice {
        private ChannelConnectAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object channel) {
            NettyHooks.channelConnecting(channel);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit() {
            NettyHooks.channelConnectDone();
        }
    }

    /** Inlined into {@code remoteAddress()}: a redirected socket's peer is its original destination. */
    static final class RemoteAddressAdvice {
        private RemoteAddressAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object socket,
                @Advice.Return(readOnly = false) InetSocketAddress peer) {
            peer = NettyHooks.remoteAddress(socket, peer);
        }
    }
}
