package dev.socksbridge.agent.bootstrap;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The few public members of one copy of Netty's {@code io.netty.channel.unix} package (the original or a
 * relocated one) that {@link NettyHooks} uses, reached by name because the agent cannot link against
 * classes of the app's class loader: {@code Socket.bind/localAddress}, and {@code Errors}, which builds
 * the exception Netty throws for a failed connect (so the app sees exactly the type and wording it would
 * see without the agent).
 */
final class NettySocketAccess {

    private static final String SOCKET_SUFFIX = "io.netty.channel.unix.Socket";
    /**
     * ETIMEDOUT is ECONNREFUSED - 1 on Linux (110/111), macOS and the BSDs (60/61), and Netty exposes only
     * the latter (as a negative number): -ETIMEDOUT = -ECONNREFUSED + 1.
     */
    private static final int ETIMEDOUT_BELOW_ECONNREFUSED = 1;

    private static final ClassValue<NettySocketAccess> BY_CLASS = new ClassValue<>() {
        @Override
        protected NettySocketAccess computeValue(Class<?> type) {
            return new NettySocketAccess(type);
        }
    };

    private final MethodHandle bind;
    private final MethodHandle localAddress;
    private final MethodHandle throwConnectException;
    private final int refused;
    private final int hostUnreachable;
    private final int networkUnreachable;

    private NettySocketAccess(Class<?> type) {
        try {
            Class<?> socket = unixSocket(type);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            bind = lookup.findVirtual(socket, "bind", MethodType.methodType(void.class, SocketAddress.class));
            localAddress = lookup.findVirtual(socket, "localAddress", MethodType.methodType(InetSocketAddress.class));
            Class<?> errors = Class.forName(socket.getPackageName() + ".Errors", true, socket.getClassLoader());
            throwConnectException = lookup.findStatic(errors, "throwConnectException",
                    MethodType.methodType(void.class, String.class, int.class));
            refused = (int) lookup.findStaticGetter(errors, "ERROR_ECONNREFUSED_NEGATIVE", int.class).invoke();
            hostUnreachable = (int) lookup.findStaticGetter(errors, "ERROR_EHOSTUNREACH_NEGATIVE", int.class).invoke();
            networkUnreachable = (int) lookup.findStaticGetter(errors, "ERROR_ENETUNREACH_NEGATIVE", int.class).invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("not a Netty unix Socket: " + type.getName(), e);
        }
    }

    /** @throws IllegalStateException when the socket's class does not look like Netty's (never seen) */
    static NettySocketAccess of(Object socket) {
        return BY_CLASS.get(socket.getClass());
    }

    /** The Netty {@code Socket} class this class is or extends ({@code LinuxSocket}, {@code BsdSocket}). */
    private static Class<?> unixSocket(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().endsWith(SOCKET_SUFFIX)) {
                return c;
            }
        }
        throw new IllegalArgumentException(type.getName());
    }

    /** The socket's local port (0: not bound yet; after a connect call, the port the kernel chose), or -1. */
    int localPort(Object socket) throws Throwable {
        InetSocketAddress local = (InetSocketAddress) localAddress.invoke(socket);
        return local == null ? 0 : local.getPort();
    }

    /**
     * The socket's local port once bound to the proxy's address, or -1 when it cannot be routed (the app
     * bound it elsewhere). An unbound socket reports port 0.
     */
    int bindForProxy(Object socket, InetAddress proxyAddress) throws Throwable {
        InetSocketAddress local = (InetSocketAddress) localAddress.invoke(socket);
        if (local == null || local.getPort() == 0) {
            bind.invoke(socket, new InetSocketAddress(proxyAddress, 0));
            local = (InetSocketAddress) localAddress.invoke(socket);
        }
        if (local != null && proxyAddress.equals(local.getAddress())) {
            return local.getPort();
        }
        return -1;
    }

    /**
     * What Netty throws from {@code method} ({@code connect} or {@code finishConnect}) for the errno that
     * matches a SOCKS5 reply code; null for a code with no errno (the policy's refusal, general failures).
     */
    IOException connectException(String method, int reply) throws Throwable {
        int errno;
        switch (reply) {
            case 3:
                errno = networkUnreachable;
                break;
            case 4:
                errno = hostUnreachable;
                break;
            case 5:
                errno = refused;
                break;
            case 6:
                errno = refused + ETIMEDOUT_BELOW_ECONNREFUSED;
                break;
            default:
                return null;
        }
        try {
            throwConnectException.invoke(method, errno);
        } catch (IOException e) {
            return e;
        }
        return null;
    }
}
