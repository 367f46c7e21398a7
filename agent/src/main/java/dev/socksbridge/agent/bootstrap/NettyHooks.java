package dev.socksbridge.agent.bootstrap;

import static dev.socksbridge.agent.bootstrap.Redirects.ANSWER_TIMEOUT_MILLIS;
import static dev.socksbridge.agent.bootstrap.Redirects.why;

import dev.socksbridge.agent.bootstrap.Redirects.DirectConnect;
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
 * completion ends with the proxy's upstream result and fails, when it fails, with the exception Netty
 * itself throws for that outcome.
 *
 * <p>An epoll channel's connect ({@code AbstractEpollChannel.doConnect}, advised to say which channel is
 * connecting) has the proxy dial with the channel's {@code CONNECT_TIMEOUT_MILLIS}, and its completion
 * never waits on the event loop: until the proxy answered it reports "not connected yet"
 * ({@link #NOT_YET}), so Netty's own connect timeout runs at its deadline, and the answer has the event
 * loop complete the connect again ({@link NettyChannelConnect}).
 *
 * <p>Netty's classes belong to the app's class loader; this class is on the boot class path, which
 * every loader reaches, so it only sees the socket as an {@link Object} ({@link NettySocketAccess}).
 */
public final class NettyHooks {

    /** The stream socket opened on this thread by {@link #streamSocketOpened()}, for its constructor. */
    private static final ThreadLocal<StreamSocket> OPENING = new ThreadLocal<>();
    /**
     * The TCP sockets Netty opened since the agent started, not yet connecting, and who created them.
     * Only these are redirected: Netty's UDP sockets "connect" through the same method.
     */
    private static final WeakIdentityMap<StreamSocket> STREAM_SOCKETS = new WeakIdentityMap<>();
    /** Redirected sockets, for their connect's completion and for the address they report as their peer. */
    private static final WeakIdentityMap<Redirect> REDIRECTED = new WeakIdentityMap<>();
    /** The epoll channel whose {@code doConnect} runs on this thread (its event loop), for the socket's connect. */
    private static final ThreadLocal<Object> CONNECTING = new ThreadLocal<>();
    /**
     * What the connect and completion hooks return for "not connected yet": the advice then returns false
     * and throws nothing. Never thrown, so it has no stack trace.
     */
    public static final Throwable NOT_YET = new Throwable("socksbridge: not connected yet", null, false, false) {
    };

    private NettyHooks() {
    }

    /**
     * A new TCP socket. {@code creator} is the app's code that created it (null: none on that stack), the
     * caller for a connect made later on Netty's event loop, where no app frame is on the stack.
     */
    private record StreamSocket(CallerTag creator) {
    }

    /**
     * A socket sent to the proxy; {@code settled} once its completion has seen the proxy's answer.
     * {@code channel}: the epoll channel's connect, whose completion does not wait (null: it waits).
     */
    private static final class Redirect {
        final ChannelRoute route;
        final NettyChannelConnect channel;
        volatile boolean settled;

        Redirect(ChannelRoute route, NettyChannelConnect channel) {
            this.route = route;
            this.channel = channel;
        }
    }

    /** Advice: entry of {@code AbstractEpollChannel.doConnect}, on the channel's event loop. */
    public static void channelConnecting(Object channel) {
        if (Hooks.observer() != null) {
            CONNECTING.set(channel);
        }
    }

    /** Advice: exit of {@code AbstractEpollChannel.doConnect}. */
    public static void channelConnectDone() {
        CONNECTING.remove();
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
            tag = Redirects.callerOf(destination, stream.creator());
            InetSocketAddress proxy = observer.channelProxyFor(destination);
            if (proxy == null) {
                return new DirectConnect(tag, destination, null);
            }
            String unroutable = observer.unroutable();
            if (unroutable != null) {
                return Redirects.notRouted(observer, tag, destination, unroutable);
            }
            // only a redirected connect reads its channel (reflection): a direct one dials with Netty's timeout itself
            NettyChannelConnect channel = NettyChannelConnect.of(CONNECTING.get());
            if (channel != null) {
                tag = tag.withConnectTimeout(channel.timeoutMillis()); // the proxy dials with it
            }
            if (NettySocketAccess.of(socket).localPort(socket) == 0) {
                return redirectUnbound(observer, socket,
                        new Redirect(new ChannelRoute(tag, destination, proxy, 0), channel));
            }
            return redirect(observer, socket, tag, destination, proxy, channel);
        } catch (Throwable e) {
            // nothing registered: the app's connect proceeds untouched, and is reported with the reason
            return tag == null ? null : Redirects.notRouted(observer, tag, destination, why(e));
        } finally {
            Hooks.endBypass();
        }
    }

    /**
     * Sends an unbound socket to the proxy without binding it (see {@code ChannelHooks.connectEnter}:
     * an explicit bind per connect runs out of ports under churn); its exit registers the port its
     * connect got.
     */
    private static Object redirectUnbound(ConnectObserver observer, Object socket, Redirect redirect) {
        REDIRECTED.put(socket, redirect);
        observer.channelConnecting(); // last: once counted, the exit advice must run to uncount it
        return redirect;
    }

    /** Binds the socket to the proxy's address and registers it; see {@code ChannelHooks.redirect}. */
    private static Object redirect(ConnectObserver observer, Object socket, CallerTag tag,
            InetSocketAddress destination, InetSocketAddress proxy, NettyChannelConnect channel) throws Throwable {
        int localPort = NettySocketAccess.of(socket).bindForProxy(socket, proxy.getAddress());
        if (localPort <= 0) {
            return new DirectConnect(tag, destination, null);
        }
        Redirect redirect = new Redirect(new ChannelRoute(tag, destination, proxy, localPort), channel);
        REDIRECTED.put(socket, redirect);
        if (Redirects.register(observer, redirect.route) != null) {
            REDIRECTED.remove(socket);
            return new DirectConnect(tag, destination, null);
        }
        return redirect;
    }

    /** The local port of a socket whose connect returned, or -1 (an unusual Netty build). */
    private static int localPort(Object socket) {
        try {
            return NettySocketAccess.of(socket).localPort(socket);
        } catch (Throwable e) {
            return -1;
        }
    }

    /** Advice: the address the socket really connects to. */
    public static SocketAddress target(Object pending, SocketAddress remote) {
        return pending instanceof Redirect redirect ? redirect.route.proxy() : remote;
    }

    /**
     * Advice: exit of {@code Socket.connect(SocketAddress)}; a connect that completed at once (possible to
     * a loopback proxy) is settled here with the proxy's answer (see {@link #settle}).
     *
     * @return what the call should throw (null: return normally; {@link #NOT_YET}: return false)
     */
    public static Throwable connectExit(Object socket, Object pending, boolean connected, Throwable thrown) {
        if (pending instanceof ConnectRefusal refusal) {
            return refusal.fail();
        }
        if (pending instanceof DirectConnect direct) {
            direct.report(thrown);
            return thrown;
        }
        if (!(pending instanceof Redirect redirect)) {
            return thrown;
        }
        if (redirect.route.unbound()) { // registered by the port its connect got (see redirectUnbound)
            Throwable unregistered = Redirects.registerAfterConnect(redirect.route,
                    thrown == null ? localPort(socket) : -1, thrown, "socket");
            if (unregistered != null) {
                redirect.settled = true;
                REDIRECTED.remove(socket);
                return unregistered;
            }
        }
        if (thrown != null) {
            return neverReachedProxy(socket, redirect, thrown);
        }
        return connected ? settle(socket, redirect, "connect") : null;
    }

    /**
     * Advice: exit of {@code Socket.finishConnect()}, which Netty calls once epoll reported the connect done.
     *
     * @return what the call should throw (null: return normally; {@link #NOT_YET}: return false)
     */
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
        REDIRECTED.remove(socket);
        return Redirects.neverReachedProxy(redirect.route, thrown);
    }

    /**
     * The connect to the proxy is done; the app's connect ends with the proxy's upstream result. An epoll
     * channel's connect that has no answer yet stays pending ({@link #NOT_YET}) and is completed again once
     * it has ({@link NettyChannelConnect}). Any other waits here, blocking the event loop that completes
     * it, as the JDK channel path does.
     */
    private static Throwable settle(Object socket, Redirect redirect, String method) {
        int reply = redirect.route.replyNow();
        if (reply < 0 && redirect.channel != null
                && redirect.channel.finishWhenAnswered(redirect.route, () -> !redirect.settled)) {
            return NOT_YET;
        }
        redirect.settled = true;
        reply = redirect.route.replyNow(); // the answer may have come meanwhile
        if (reply < 0) {
            try {
                reply = redirect.route.awaitReply(ANSWER_TIMEOUT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ClosedByInterruptException();
            }
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
}
