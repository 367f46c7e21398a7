package dev.socksbridge.agent.instrument;

import dev.socksbridge.agent.bootstrap.TrafficHooks;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Records what is only observed, never routed: name lookups ({@code java.net.InetAddress.getByName} and
 * {@code getAllByName}) and datagrams ({@code sun.nio.ch.DatagramChannelImpl.send}, {@code write},
 * {@code connect}; {@code DatagramSocket} runs on it since JDK 15). Same names on JDK 17 and 25.
 */
final class TrafficInstrumentation {

    static final String INET_ADDRESS = "java.net.InetAddress";
    static final String DATAGRAM_CHANNEL = "sun.nio.ch.DatagramChannelImpl";

    private TrafficInstrumentation() {
    }

    static void addTo(Map<String, AsmVisitorWrapper> byName, ClassFileLocator advice) {
        byName.put(INET_ADDRESS, new AsmVisitorWrapper.ForDeclaredMethods()
                .method(named("getByName").or(named("getAllByName")).and(takesArguments(String.class)).and(isPublic()),
                        Advice.to(LookupAdvice.class, advice)));
        byName.put(DATAGRAM_CHANNEL, new AsmVisitorWrapper.ForDeclaredMethods()
                .method(named("send").and(takesArguments(ByteBuffer.class, SocketAddress.class)),
                        Advice.to(SendAdvice.class, advice))
                .method(named("write").and(takesArguments(ByteBuffer.class)), Advice.to(WriteAdvice.class, advice))
                .method(named("write").and(takesArguments(ByteBuffer[].class, int.class, int.class)),
                        Advice.to(WriteManyAdvice.class, advice))
                .method(named("connect").and(takesArguments(SocketAddress.class)),
                        Advice.to(ConnectAdvice.class, advice)));
    }

    /** Inlined into {@code InetAddress.getByName(String)} and {@code getAllByName(String)}. */
    static final class LookupAdvice {
        private LookupAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) String host) {
            return TrafficHooks.lookupEnter(host);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object pending,
                @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result, @Advice.Thrown Throwable thrown) {
            TrafficHooks.lookupExit(pending, result, thrown);
        }
    }

    /** Inlined into {@code DatagramChannelImpl.send(ByteBuffer, SocketAddress)}. */
    static final class SendAdvice {
        private SendAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(1) SocketAddress target, @Advice.Return int sent) {
            TrafficHooks.datagram(target, sent, 1);
        }
    }

    /** Inlined into {@code DatagramChannelImpl.write(ByteBuffer)} (a connected channel). */
    static final class WriteAdvice {
        private WriteAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("remoteAddress") InetSocketAddress remote, @Advice.Return int sent) {
            TrafficHooks.datagram(remote, sent, 1);
        }
    }

    /** Inlined into {@code DatagramChannelImpl.write(ByteBuffer[], int, int)} (gathering, connected). */
    static final class WriteManyAdvice {
        private WriteManyAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("remoteAddress") InetSocketAddress remote, @Advice.Return long sent) {
            TrafficHooks.datagram(remote, sent, 1);
        }
    }

    /** Inlined into {@code DatagramChannelImpl.connect(SocketAddress)}: the destination shows up even unused. */
    static final class ConnectAdvice {
        private ConnectAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) SocketAddress target) {
            TrafficHooks.datagram(target, 0, 0);
        }
    }
}
