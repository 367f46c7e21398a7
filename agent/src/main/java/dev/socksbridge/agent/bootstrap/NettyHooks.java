package dev.socksbridge.agent.bootstrap;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedByInterruptException;

/**
 * What the advice inlined into Netty's native socket ({@code io.netty.channel.unix.Socket}, and every
 * relocated copy such as gRPC's {@code io.grpc.netty.shaded.io.netty.channel.unix.Socket}) calls. The
 * epoll (and kqueue) transports connect, finish connecting and read the peer's address through that one
 * class, so a connect is redirected there like a JDK channel's: the socket is bound to the proxy's
 * loopback address, its port registered with the real destination and the caller, and it connects to
 * the proxy instead. Its {@code remoteAddress()} answers the original destination, and the connect's
 * completion waits for the proxy's upstream result and fails, when it fails, with the exception Netty
 * itself throws for that outcome.
 *
 * <p>Netty's classes belong to the app's class loader; this class is on the boot class path, which
 * every loader reaches, so it only sees the socket as an {@link Object} ({@link NettySocketAccess}).
 */
public final class NettyHooks {

    /** Longer than the proxy's own connect timeout (10 s): the proxy always answers first. */
    private static final long ANSWER_TIMEOUT_MILLIS = 30_000;

    /** The stream socket opened on this thread by {@link #streamSocketOpened()}, for its constructor. */
    private static final ThreadLocal<StreamSocket> OPENING = new ThreadLocal<>();
    /**
     * The TCP sockets Netty opened since the agent started, not yet connecting, and who created them.
     * Only these are redirected: Netty's UDP sockets "connect" through the same method.
     */
    private static final WeakIdentityMap<StreamSocket> STREAM_SOCKETS = new WeakIdentityMap<>();
    /** Redirected sockets, for their connect's completion and for the address they report as their peer. */
    private static final WeakIdentityMap<Redirect> REDIRECTED = new WeakIdentityMap<>();

    private NettyHooks() {
    }

    /** A connect that goes direct (excluded destination, or the socket bound elsewhere): only reported. */
    /** {@code reason}: why a connect the agent meant to redirect went direct (null: it was never meant to). */
    private record DirectConnect(CallerTag tag, InetSocketAddress endpoint, String reason) {
        DirectConnect(CallerTag tag, InetSocketAddress endpoint) {
            this(tag, endpoint, null);
        }
    }

    /**
     * A new TCP socket. {@code creator} is the app's code that created it (null: none on that stack), the
     * caller for a connect made later on Netty's event loop, where no app frame is on the stack.
     */
    private record StreamSocket(CallerTag creator) {
    }

    /** A socket sent to the proxy; {@code settled} once its completion has seen the proxy's answer. */
    private static final class Redirect {
        final ChannelRoute route;
        volatile boolean settled;

        Redirect(ChannelRoute route) {
            this.route = route;
        }
    }

    /**
     * Advice: exit of {@code Socket.newSocketStream0(boolean)}, which opens the descriptor of every new
     * (not accepted) stream socket, on the thread that creates the Netty channel: for a client that is the
     * app's {@code Bootstrap.connect} call. Accepted sockets never come here, so accepting costs nothing.
     */
    public static void streamSocketOpened() {
        if (Hooks.observer() == null || Hooks.isBypassed()) {
            return;
        }
        Hooks.beginBypass();
        try {
            CallerTag creator = Hooks.tag("", -1);
            OPENING.set(new StreamSocket(creator.callerClass() != null ? creator : null));
        } finally {
            Hooks.endBypass();
        }
    }

    /**
     * Advice: exit of the {@code Socket(int)} constructor, which wraps the descriptor just opened (the
     * factories call it right after {@code newSocketStream0} returned; accepted and UDP sockets come here
     * without it).
     */
    public static void socketCreated(Object socket) {
        StreamSocket opened = OPENING.get();
        if (opened != null) {
            OPENING.remove();
            STREAM_SOCKETS.put(socket, opened);
        }
    }

    /** The caller of the connect, or of the socket's creation when the connect has no app frame. */
    private static CallerTag callerOf(StreamSocket socket, InetSocketAddress destination) {
        CallerTag tag = Hooks.tag(destination);
        CallerTag creator = socket.creator();
        return tag.callerClass() == null && creator != null ? tag.withCallerOf(creator) : tag;
    }

    /**
     * Advice: entry of {@code Socket.connect(SocketAddress)}. Returns the redirect, a direct connect to
     * report, or null (agent off, the agent's own thread, not an IP address, not a TCP socket opened while
     * the agent ran). Never throws.
     */
    public static Object connectEnter(Object socket, Object remote) {
        ConnectObserver observer = Hooks.observer();
        if (observer == null || Hooks.isBypassed() || !(remote instanceof InetSocketAddress destination)
                || destination.isUnresolved() || STREAM_SOCKETS.isEmpty()) {
            return null;
        }
        StreamSocket stream = STREAM_SOCKETS.remove(socket);
        if (stream == null) {
            return null;
        }
        Hooks.beginBypass();
        CallerTag tag = null;
        try {
            tag = callerOf(stream, destination);
            InetSocketAddress proxy = observer.channelProxyFor(destination);
            if (proxy == null) {
                return new DirectConnect(tag, destination);
            }
            String unroutable = observer.unroutable();
            if (unroutable != null) {
                return notRouted(observer, tag, destination, unroutable);
            }
            if (NettySocketAccess.of(socket).localPort(socket) == 0) {
                return redirectUnbound(observer, socket, tag, destination, proxy);
            }
            return redirect(observer, socket, tag, destination, proxy);
        } catch (Throwable e) {
            // nothing registered: the app's connect proceeds untouched, and is reported with the reason
            return tag == null ? null : notRouted(observer, tag, destination,
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } finally {
            Hooks.endBypass();
        }
    }

    /**
     * A connect the agent should redirect but cannot: it goes direct and is reported with the reason, or,
     * in {@code mode=enforce}, fails without being made ({@link ConnectRefusal}).
     */
    private static Object notRouted(ConnectObserver observer, CallerTag tag, InetSocketAddress destination,
            String why) {
        return observer.failsUnroutable() ? new ConnectRefusal(tag, destination, why)
                : new DirectConnect(tag, destination, ConnectRefusal.notProxied(why));
    }

    /**
     * Sends an unbound socket to the proxy without binding it (see {@code ChannelHooks.connectEnterUnbound}:
     * an explicit bind per connect runs out of ports under churn); its exit registers the port its
     * connect got.
     */
    private static Object redirectUnbound(ConnectObserver observer, Object socket, CallerTag tag,
            InetSocketAddress destination, InetSocketAddress proxy) {
        Redirect redirect = new Redirect(new ChannelRoute(tag, destination, proxy, 0));
        REDIRECTED.put(socket, redirect);
        observer.channelConnecting(); // last: once counted, the exit advice must run to uncount it
        return redirect;
    }

    /**
     * Registers an unbound redirected socket by the port its connect got, then tells the proxy this
     * connect is done; a port that cannot be read (never seen) fails the connect.
     *
     * @return the connect's failure when the socket could not be registered, else null
     */
    private static Throwable registerAfterConnect(Object socket, Redirect redirect, Throwable thrown) {
        ConnectObserver observer = Hooks.observer();
        try {
            if (thrown != null || observer == null) {
                return null;
            }
            int port = NettySocketAccess.of(socket).localPort(socket);
            if (port > 0) {
                redirect.route.registeredAs(port);
                observer.routeChannel(redirect.route);
                return null;
            }
        } catch (Throwable e) {
            // cannot read the port: fails below
        } finally {
            if (observer != null) {
                observer.channelConnectDone();
            }
        }
        redirect.settled = true;
        REDIRECTED.remove(socket);
        String why = "cannot tell the in-process proxy which connection is this socket's";
        ConnectException failure = new ConnectException("socksbridge: " + why);
        reportDirect(new DirectConnect(redirect.route.tag(), redirect.route.destination(),
                "not proxied (socksbridge: " + why + ")"), failure);
        return failure;
    }

    /** Binds the socket to the proxy's address and registers it; see {@code ChannelHooks.redirect}. */
    private static Object redirect(ConnectObserver observer, Object socket, CallerTag tag,
            InetSocketAddress destination, InetSocketAddress proxy) throws Throwable {
        int localPort = NettySocketAccess.of(socket).bindForProxy(socket, proxy.getAddress());
        DirectConnect direct = new DirectConnect(tag, destination);
        if (localPort <= 0) {
            return direct;
        }
        ChannelRoute route = null;
        try {
            route = new ChannelRoute(tag, destination, proxy, localPort);
            Redirect redirect = new Redirect(route);
            REDIRECTED.put(socket, redirect);
            observer.routeChannel(route);
            return redirect;
        } catch (Throwable e) {
            forget(observer, socket, route);
            return direct;
        }
    }

    /** Advice: the address the socket really connects to. */
    public static SocketAddress target(Object pending, SocketAddress remote) {
        return pending instanceof Redirect redirect ? redirect.route.proxy() : remote;
    }

    /**
     * Advice: exit of {@code Socket.connect(SocketAddress)}; a connect that completed at once (possible to
     * a loopback proxy) waits here for the proxy's answer.
     *
     * @return what the call should throw (null: return normally)
     */
    public static Throwable connectExit(Object socket, Object pending, boolean connected, Throwable thrown) {
        if (pending instanceof ConnectRefusal refusal) {
            return refusal.fail();
        }
        if (pending instanceof DirectConnect direct) {
            reportDirect(direct, thrown);
            return thrown;
        }
        if (!(pending instanceof Redirect redirect)) {
            return thrown;
        }
        if (redirect.route.localPort() == 0) {
            Throwable unregistered = registerAfterConnect(socket, redirect, thrown);
            if (unregistered != null) {
                return unregistered;
            }
        }
        if (thrown != null) {
            return neverReachedProxy(socket, redirect, thrown);
        }
        return connected ? settle(socket, redirect, "connect") : null;
    }

    /** Advice: exit of {@code Socket.finishConnect()}, which Netty calls once epoll reported the connect done. */
    public static Throwable finishConnectExit(Object socket, boolean connected, Throwable thrown) {
        Redirect redirect = REDIRECTED.isEmpty() ? null : REDIRECTED.get(socket);
        if (redirect == null || redirect.settled) {
            return thrown;
        }
        if (thrown != null) {
            return neverReachedProxy(socket, redirect, thrown);
        }
        return connected ? settle(socket, redirect, "finishConnect") : null;
    }

    /** Advice: what {@code Socket.remoteAddress()} returns: the original destination instead of the proxy. */
    public static InetSocketAddress remoteAddress(Object socket, InetSocketAddress current) {
        if (current == null || REDIRECTED.isEmpty()) {
            return current;
        }
        Redirect redirect = REDIRECTED.get(socket);
        return redirect != null && redirect.route.proxy().equals(current) ? redirect.route.destination() : current;
    }

    /** The connection to the proxy itself failed: the proxy will never report it, so it is reported here. */
    private static Throwable neverReachedProxy(Object socket, Redirect redirect, Throwable thrown) {
        redirect.settled = true;
        ConnectObserver observer = Hooks.observer();
        forget(observer, socket, redirect.route);
        reportDirect(new DirectConnect(redirect.route.tag(), redirect.route.destination()), thrown);
        return thrown;
    }

    /**
     * Waits for the proxy's upstream result. The wait blocks the event loop that completes the connect, as
     * the JDK channel path does; there is no way to tell Netty "not yet" without busy-spinning it.
     */
    private static Throwable settle(Object socket, Redirect redirect, String method) {
        redirect.settled = true;
        int reply;
        try {
            reply = redirect.route.awaitReply(ANSWER_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ClosedByInterruptException();
        }
        if (reply == 0) {
            return null;
        }
        REDIRECTED.remove(socket);
        if (reply < 0) {
            return new ConnectException("Connection timed out (socksbridge: no answer from the in-process proxy within "
                    + ANSWER_TIMEOUT_MILLIS + " ms)");
        }
        return failure(socket, method, reply, redirect.route);
    }

    /** Netty's own exception for the outcome, else the JDK's (the policy's refusal always names socksbridge). */
    private static IOException failure(Object socket, String method, int reply, ChannelRoute route) {
        IOException netty = null;
        try {
            netty = NettySocketAccess.of(socket).connectException(method, reply);
        } catch (Throwable e) {
            // an unusual Netty build: the JDK's wording below is the closest
        }
        return netty != null ? netty : route.failure();
    }

    private static void forget(ConnectObserver observer, Object socket, ChannelRoute route) {
        REDIRECTED.remove(socket);
        if (observer == null || route == null) {
            return;
        }
        try {
            observer.unrouteChannel(route);
        } catch (Throwable e) {
            // nothing more can be undone; the proxy drops an unknown client port's session at handshake
        }
    }

    private static void reportDirect(DirectConnect direct, Throwable thrown) {
        ConnectObserver observer = Hooks.observer();
        if (observer == null) {
            return;
        }
        long end = System.nanoTime();
        Hooks.beginBypass();
        try {
            observer.direct(direct.tag(), direct.endpoint(), thrown, end, direct.reason());
        } catch (Throwable e) {
            // reporting must never fail the app's connect
        } finally {
            Hooks.endBypass();
        }
    }
}
