package dev.socksbridge.agent.bootstrap;

import static dev.socksbridge.agent.bootstrap.Redirects.ANSWER_TIMEOUT_MILLIS;
import static dev.socksbridge.agent.bootstrap.Redirects.notProxied;
import static dev.socksbridge.agent.bootstrap.Redirects.why;

import dev.socksbridge.agent.bootstrap.Redirects.DirectConnect;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the advice inlined into the JDK's NIO channels ({@code sun.nio.ch.SocketChannelImpl},
 * {@code UnixAsynchronousSocketChannelImpl}) calls; the asynchronous channel's completion, which reports to
 * a future or a handler, is {@link AsyncChannelHooks}. A routed connect binds the channel to the proxy's
 * loopback address, registers that local port with the real destination, and connects to the proxy
 * instead; the proxy relays without a handshake. The connect's completion (blocking connect,
 * {@code finishConnect}, the async channel's {@code setConnected}) then waits for the proxy's upstream
 * result so a refused or denied destination fails exactly where it would have without the agent.
 */
public final class ChannelHooks {

    private static final int PURGE_THRESHOLD = 256;

    /**
     * Who made each unconnected channel non-blocking, when that code was the app's: a channel set up on
     * the app's thread but connected on a library's event loop (Netty) gets its caller from here. Weak
     * keys: a channel dropped unconnected leaves nothing behind.
     */
    private static final Map<Object, CallerTag> CREATED_BY = Collections.synchronizedMap(new WeakHashMap<>());

    /** Redirected channels whose connect completion has not yet seen the proxy's answer. */
    private static final Map<Object, ChannelRoute> AWAITING = new ConcurrentHashMap<>();

    /**
     * {@code sun.nio.ch.Net.localAddress(FileDescriptor)}: the port the kernel chose for a connect that is
     * still pending (the channel itself learns it only in {@code finishConnect}). Null until the agent
     * exported {@code sun.nio.ch} to this class's module; without it channels are bound before connecting.
     */
    private static volatile MethodHandle localAddressOfFd;
    /**
     * What exports {@code sun.nio.ch} and then calls {@link #enableUnboundRedirects}: run by the first
     * channel connect rather than at start-up (the export and the method handle cost a JVM that never
     * connects a channel 10 ms before its main). Null once run, or when the agent gave none.
     */
    private static volatile Runnable unboundEnabler;

    private ChannelHooks() {
    }

    /** The agent's way to switch channels to unbound redirects, run by the first channel connect. */
    public static void enableUnboundRedirectsOnFirstUse(Runnable enabler) {
        unboundEnabler = enabler;
    }

    /** Whether channels are redirected unbound; the first call runs the agent's enabler. */
    private static boolean unboundRedirects() {
        if (localAddressOfFd != null) {
            return true;
        }
        if (unboundEnabler != null) {
            synchronized (ChannelHooks.class) {
                Runnable enabler = unboundEnabler;
                unboundEnabler = null;
                if (enabler != null) {
                    enabler.run(); // a failure leaves the bind path: the enabler catches what it expects
                }
            }
        }
        return localAddressOfFd != null;
    }

    /**
     * Called by the agent once {@code sun.nio.ch} is exported to this class's module: from then on a
     * {@code SocketChannelImpl} is redirected without an explicit bind (its port is registered after the
     * connect: {@link Redirects#registerAfterConnect}).
     *
     * @return whether the JDK has the method (false: the bind path stays)
     */
    public static boolean enableUnboundRedirects() {
        try {
            Class<?> net = Class.forName("sun.nio.ch.Net", false, null);
            localAddressOfFd = MethodHandles.lookup().findStatic(net, "localAddress",
                    MethodType.methodType(InetSocketAddress.class, FileDescriptor.class));
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Advice: a channel was made non-blocking; remembered only while it is not yet connecting. */
    public static void madeNonBlocking(Object channel) {
        if (Hooks.observer() == null || Hooks.isBypassed() || !(channel instanceof SocketChannel socket)
                || socket.isConnected() || socket.isConnectionPending()) {
            return;
        }
        Hooks.beginBypass();
        try {
            CallerTag creator = Hooks.tag("", -1);
            if (creator.callerClass() != null) {
                CREATED_BY.put(channel, creator);
            }
        } finally {
            Hooks.endBypass();
        }
    }

    /** The caller of the connect, or of the channel's creation when the connect has no app frame. */
    private static CallerTag callerOf(Object channel, InetSocketAddress destination) {
        return Redirects.callerOf(destination, CREATED_BY.isEmpty() ? null : CREATED_BY.remove(channel));
    }

    /**
     * Advice: entry of a channel connect ({@code SocketChannelImpl}'s connects and the async channel's
     * {@code implConnect}). Returns a {@link ChannelRoute} when redirected, a direct connect to report, a
     * {@link ConnectRefusal} (the connect's body is skipped and its exit fails it), or null when the agent
     * is off or this is the agent's own thread. Never throws.
     *
     * <p>An unbound channel is not bound: it connects from the port the kernel picks, and its exit
     * registers that port ({@link Redirects#registerAfterConnect}). An explicit bind per connect cannot
     * reuse a port whose TIME_WAIT entry is for another connection, so under churn binds fail by the tens of
     * thousands a minute; a connect's own port choice can. Channels are bound to the proxy's address
     * first only when the channel's port cannot be read ({@link #enableUnboundRedirects} failed).
     */
    public static Object connectEnter(Object channel, Object remote) {
        return connectEnter(channel, remote, 0);
    }

    /**
     * Advice: entry of the socket adaptor's {@code blockingConnect(SocketAddress, long)}, as
     * {@link #connectEnter(Object, Object)}; the proxy dials with the app's timeout ({@code timeoutNanos}, 0:
     * none, then the proxy's own), so a timeout above the proxy's 10 s is not cut short.
     */
    public static Object connectEnter(Object channel, Object remote, long timeoutNanos) {
        ConnectObserver observer = Hooks.observer();
        if (observer == null || Hooks.isBypassed() || !(remote instanceof InetSocketAddress destination)) {
            return null;
        }
        Hooks.beginBypass();
        CallerTag tag = null;
        try {
            boolean unbound = unboundRedirects();
            AppConnectTimer timer = AppConnectTimer.take();
            tag = callerOf(channel, destination);
            if (timer != null) {
                tag = tag.withConnectTimeout(timer.millis());
            } else if (timeoutNanos > 0) {
                tag = tag.withConnectTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeoutNanos / 1_000_000L)));
            }
            Object pending = route(observer, channel, tag, destination, unbound);
            if (pending instanceof ChannelRoute route) {
                route.appTimer(timer);
            }
            return pending;
        } catch (Throwable e) {
            // nothing registered: the app's connect proceeds untouched, and is reported with the reason
            return tag == null ? null : Redirects.notRouted(observer, tag, (InetSocketAddress) remote, why(e));
        } finally {
            Hooks.endBypass();
        }
    }

    /** Where {@link #connectEnter} sends the connect: the proxy, direct, or nowhere (refused). */
    private static Object route(ConnectObserver observer, Object channel, CallerTag tag,
            InetSocketAddress destination, boolean unbound) throws IOException {
        InetSocketAddress proxy = destination.isUnresolved() ? null : observer.channelProxyFor(destination);
        if (proxy == null) {
            return new DirectConnect(tag, destination, null);
        }
        if (AWAITING.size() > PURGE_THRESHOLD) {
            purgeClosed();
        }
        String unroutable = observer.unroutable();
        if (unroutable != null) {
            return Redirects.notRouted(observer, tag, destination, unroutable);
        }
        if (unbound && ((NetworkChannel) channel).getLocalAddress() == null) {
            return redirectUnbound(observer, channel, tag, destination, proxy);
        }
        return redirect(observer, channel, tag, destination, proxy);
    }

    /**
     * Sends an unbound channel to the proxy; its port is registered at the connect's exit. Until then the
     * proxy, having accepted it, waits for the registration ({@link ConnectObserver#channelConnecting}).
     */
    private static Object redirectUnbound(ConnectObserver observer, Object channel, CallerTag tag,
            InetSocketAddress destination, InetSocketAddress proxy) {
        ChannelRoute route = new ChannelRoute(tag, destination, proxy, 0);
        AWAITING.put(channel, route);
        observer.channelConnecting(); // last: once counted, the exit advice must run to uncount it
        return route;
    }

    /**
     * Binds the channel to the proxy's address and registers it. The bind cannot be undone, so a failure
     * after it unwinds the registration and lets the connect go to the real destination (which a
     * loopback destination still reaches; any other fails in the connect, with the connect's own
     * exception, instead of being relayed by a proxy that does not know the channel).
     */
    private static Object redirect(ConnectObserver observer, Object channel, CallerTag tag,
            InetSocketAddress destination, InetSocketAddress proxy) throws IOException {
        int localPort = bindForProxy((NetworkChannel) channel, proxy.getAddress());
        if (localPort <= 0) {
            return new DirectConnect(tag, destination, null);
        }
        ChannelRoute route = new ChannelRoute(tag, destination, proxy, localPort);
        AWAITING.put(channel, route);
        Throwable failed = Redirects.register(observer, route);
        if (failed != null) {
            AWAITING.remove(channel, route);
            return new DirectConnect(tag, destination, notProxied(why(failed)));
        }
        return route;
    }

    /** Whether a redirected channel's connect completion is still waiting for the proxy (tests). */
    static boolean isAwaiting(Object channel) {
        return AWAITING.containsKey(channel);
    }

    /** The redirected channel's route while its completion has not seen the proxy's answer, else null. */
    static ChannelRoute awaiting(Object channel) {
        return AWAITING.isEmpty() ? null : AWAITING.get(channel);
    }

    /** Forgets a redirected channel whose connect will never complete (it failed before reaching the proxy). */
    static void forget(Object channel) {
        AWAITING.remove(channel);
    }

    /** Advice: the address the channel really connects to. */
    public static SocketAddress target(Object pending, SocketAddress remote) {
        return pending instanceof ChannelRoute route ? route.proxy() : remote;
    }

    /** Advice: what the channel's {@code remoteAddress} should say (the original destination). */
    public static SocketAddress remoteAddress(Object pending, SocketAddress current) {
        return pending instanceof ChannelRoute route && current != null ? route.destination() : current;
    }

    /**
     * Advice: exit of {@code SocketChannelImpl.connect}/{@code blockingConnect}.
     *
     * @return what the call should throw (null: return normally)
     */
    public static Throwable connectExit(Object channel, Object pending, boolean connected, Throwable thrown) {
        return connectExit(channel, pending, connected, thrown, 0);
    }

    /**
     * Advice: exit of the socket adaptor's {@code blockingConnect(SocketAddress, long nanos)}: the app's
     * connect timeout (0: none) also bounds the wait for the proxy's answer, and running out of it fails
     * as the adaptor does, with {@code SocketTimeoutException}.
     */
    public static Throwable connectExit(Object channel, Object pending, boolean connected, Throwable thrown,
            long timeoutNanos) {
        return connectExit(channel, pending, connected, thrown, timeoutNanos, null);
    }

    /**
     * Advice: exit of {@code SocketChannelImpl}'s connects, with the channel's descriptor, from which an
     * unbound redirected channel's port is read ({@link #connectEnter}).
     */
    public static Throwable connectExit(Object channel, Object pending, boolean connected, Throwable thrown,
            long timeoutNanos, FileDescriptor fd) {
        if (pending instanceof DirectConnect direct) {
            direct.report(thrown);
            return thrown;
        }
        if (pending instanceof ConnectRefusal refusal) {
            return refusal.fail();
        }
        if (!(pending instanceof ChannelRoute route)) {
            return thrown;
        }
        if (route.unbound()) {
            Throwable unregistered = registerAfterConnect(channel, route, fd, thrown);
            if (unregistered != null) {
                return unregistered;
            }
        }
        if (thrown != null) {
            AWAITING.remove(channel);
            return Redirects.neverReachedProxy(route, thrown);
        }
        if (!connected) {
            return null;
        }
        return awaitAnswer(channel, true, timeoutNanos);
    }

    /**
     * Registers an unbound redirected channel by the port its connect got, unless its completion already
     * did ({@link Redirects#registerAfterConnect}); one that cannot be registered is closed and forgotten.
     *
     * @return the connect's failure when the channel could not be registered, else null
     */
    static Throwable registerAfterConnect(Object channel, ChannelRoute route, FileDescriptor fd,
            Throwable thrown) {
        Throwable unregistered = Redirects.registerAfterConnect(route, thrown == null ? localPort(fd) : -1, thrown,
                "channel");
        if (unregistered != null) {
            AWAITING.remove(channel);
            closeQuietly(channel);
        }
        return unregistered;
    }

    /** The local port of a connecting socket, or -1. */
    static int localPort(FileDescriptor fd) {
        MethodHandle reader = localAddressOfFd;
        if (fd == null || reader == null) {
            return -1;
        }
        try {
            InetSocketAddress local = (InetSocketAddress) reader.invokeExact(fd);
            return local == null ? -1 : local.getPort();
        } catch (Throwable e) {
            return -1;
        }
    }

    /** Advice: exit of {@code finishConnect()} (the non-blocking completion). */
    public static Throwable finishConnectExit(Object channel, boolean connected, Throwable thrown) {
        if (thrown != null || !connected || AWAITING.isEmpty()) {
            return thrown;
        }
        return awaitAnswer(channel, true, 0);
    }

    /** @param timeoutNanos the app's own connect timeout, 0 for none (then {@link Redirects#ANSWER_TIMEOUT_MILLIS}) */
    static Throwable awaitAnswer(Object channel, boolean closeOnFailure, long timeoutNanos) {
        ChannelRoute route = AWAITING.remove(channel);
        if (route == null) {
            return null;
        }
        IOException failure;
        try {
            AppConnectTimer timer = route.appTimer();
            failure = timer != null ? awaitWithin(route, timer)
                    : timeoutNanos > 0 // the proxy dials with it (connectEnter): it answers by then
                    ? route.await(Math.max(1, timeoutNanos / 1_000_000L), true)
                    : route.await(ANSWER_TIMEOUT_MILLIS, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new ClosedByInterruptException();
        }
        if (failure != null && closeOnFailure) {
            closeQuietly(channel);
        }
        return failure;
    }

    /**
     * Waits for the proxy's answer until the app's own deadline (the proxy dials with the app's timeout).
     * A timeout, or no answer by then, runs the app's timer (whose thread this wait may be blocking)
     * before the connect fails, so the client reports its own timeout, as without the agent.
     */
    private static IOException awaitWithin(ChannelRoute route, AppConnectTimer timer) throws InterruptedException {
        IOException failure = route.await(timer.remainingMillis(), false);
        if (failure != null && route.timedOut()) {
            timer.fire();
        }
        return failure;
    }

    /** The channel's local port once bound to the proxy's address, or -1 when it cannot be routed. */
    private static int bindForProxy(NetworkChannel channel, InetAddress proxyAddress) throws IOException {
        SocketAddress local = channel.getLocalAddress();
        if (local == null) {
            channel.bind(new InetSocketAddress(proxyAddress, 0));
            local = channel.getLocalAddress();
        }
        if (local instanceof InetSocketAddress bound && bound.getAddress().equals(proxyAddress)) {
            return bound.getPort();
        }
        return -1; // bound elsewhere by the app: the proxy could not tell it is ours
    }

    /** Channels closed before their connect completed never reach {@link #awaitAnswer}. */
    private static void purgeClosed() {
        for (Iterator<Object> it = AWAITING.keySet().iterator(); it.hasNext(); ) {
            Object channel = it.next();
            if (channel instanceof Channel open && !open.isOpen()) {
                it.remove();
            }
        }
    }

    static void closeQuietly(Object channel) {
        try {
            ((Channel) channel).close();
        } catch (IOException | RuntimeException e) {
            // the failure being reported is the one that matters
        }
    }
}
