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
 * calls {@link NettyHooks} on the boot class path, which every class loader reaches. Netty 4.1 and 4.2
 * have the same members.
 */
final class NettyInstrumentation {

    /** Internal name, as the class file transformer sees it (matched by {@link ClassNames#isOrRelocates}). */
    static final String UNIX_SOCKET = "io/netty/channel/unix/Socket";

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
        static void exit(@Advice.This Object socket, @Advice.Enter Object pending, @Advice.Return boolean connected,
                @Advice.Thrown(readOnly = false, typing = Assigner.Typing.DYNAMIC) Throwable thrown) {
            if (pending != null) {
                thrown = NettyHooks.connectExit(socket, pending, connected, thrown);
            }
        }
    }

    /** Inlined into {@code finishConnect()}: the completion waits for the proxy's upstream result. */
    static final class FinishConnectAdvice {
        private FinishConnectAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object socket, @Advice.Return boolean connected,
                @Advice.Thrown(readOnly = false, typing = Assigner.Typing.DYNAMIC) Throwable thrown) {
            thrown = NettyHooks.finishConnectExit(socket, connected, thrown);
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
