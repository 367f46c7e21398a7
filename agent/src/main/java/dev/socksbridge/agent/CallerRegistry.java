package dev.socksbridge.agent;

import dev.socksbridge.agent.bootstrap.CallerTag;
import dev.socksbridge.agent.bootstrap.ChannelRoute;
import dev.socksbridge.agent.bootstrap.ConnectObserver;
import dev.socksbridge.agent.bootstrap.DialFailures;
import dev.socksbridge.agent.report.Reporter;
import dev.socksbridge.proxy.ConnectionDeniedException;
import dev.socksbridge.proxy.ConnectionPolicy.Decision;
import dev.socksbridge.proxy.ReplyCodes;
import dev.socksbridge.proxy.protocol.ReplyCode;
import dev.socksbridge.proxy.spi.SessionTagger;
import dev.socksbridge.proxy.spi.TransparentRoutes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * What the advice reports: app sockets about to speak SOCKS to the in-process proxy are registered by
 * their local port (the proxy sees it as the client port and takes the tag back as the session's tag),
 * and connections that bypassed the proxy are reported directly.
 */
final class CallerRegistry implements ConnectObserver, TransparentRoutes, SessionTagger {

    private final Map<Integer, CallerTag> byClientPort = new ConcurrentHashMap<>();
    /**
     * How long the proxy waits at accept for the registration of a channel still returning from its
     * connect: normally microseconds (the app's thread registers right after the connect system call);
     * bounded so a stalled app thread cannot hold a session forever. A client still unknown then is
     * treated as a proxy-protocol client.
     */
    static final long REGISTRATION_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Map<Integer, ChannelRoute> channelsByClientPort = new ConcurrentHashMap<>();
    /** Unbound channel connects in flight: their ports are registered only when the connect returns. */
    private int connecting;
    private final ReentrantLock registrations = new ReentrantLock();
    private final Condition registered = registrations.newCondition();
    private volatile InetSocketAddress proxy;
    private volatile boolean includeLoopback;
    private volatile int proxyPort = -1;
    private volatile InetAddress proxyAddress;
    private volatile IntSupplier activeSessions; // null until the proxy listens
    private volatile int maxSessions = Integer.MAX_VALUE;
    private volatile boolean enforce;
    private final Reporter reporter;
    private final AccessRules rules;

    CallerRegistry(Reporter reporter, AccessRules rules) {
        this.reporter = reporter;
        this.rules = rules;
    }

    /** Set once the proxy is listening. */
    void proxyAddress(InetSocketAddress address, boolean includeLoopback) {
        this.includeLoopback = includeLoopback;
        this.proxy = address;
        this.proxyAddress = address.getAddress();
        this.proxyPort = address.getPort();
    }

    /** Set once the proxy is listening: its session count and limit, and whether unroutable connects fail. */
    void capacity(IntSupplier active, int max, boolean enforceMode) {
        this.activeSessions = active;
        this.maxSessions = max;
        this.enforce = enforceMode;
    }

    /** Rules may name callers, and their reasons always do: with any rule the caller is found. */
    @Override
    public boolean wantsCallers() {
        return !rules.isEmpty() || reporter.wantsEvents();
    }

    @Override
    public String unroutable() {
        int max = maxSessions;
        IntSupplier active = activeSessions;
        return active != null && active.getAsInt() >= max
                ? "the in-process proxy is at its session limit (max-sessions=" + max + ")" : null;
    }

    @Override
    public boolean failsUnroutable() {
        return enforce;
    }

    @Override
    public boolean isProxy(InetSocketAddress address) {
        return address.getPort() == proxyPort && !address.isUnresolved() && address.getAddress().isLoopbackAddress();
    }

    @Override
    public void viaProxy(int localPort, CallerTag tag) {
        // a channel route left over on this port (its channel closed before reaching the proxy) must not
        // turn this SOCKS client into a transparent session
        channelsByClientPort.remove(localPort);
        byClientPort.put(localPort, tag);
    }

    @Override
    public void finished(int localPort) {
        byClientPort.remove(localPort);
    }

    @Override
    public InetSocketAddress channelProxyFor(InetSocketAddress destination) {
        InetSocketAddress current = proxy;
        InetAddress address = destination.getAddress();
        if (current == null || address == null || isProxy(destination)) {
            return null;
        }
        // a wildcard destination means loopback to the JDK (SocketChannelImpl.checkRemote)
        boolean loopback = address.isLoopbackAddress() || address.isAnyLocalAddress();
        return loopback && !includeLoopback ? null : current;
    }

    @Override
    public void routeChannel(ChannelRoute route) {
        // The tag first: a session that finds the route asks for the tag right after. Under the lock: a
        // waiting accept (awaitRegistration) sees the tag and the route together or neither. Signalled: an
        // async channel whose connect completed at once registers, then waits for the proxy's answer,
        // before its connect call returns (channelConnectDone).
        registrations.lock();
        try {
            byClientPort.put(route.localPort(), route.tag());
            channelsByClientPort.put(route.localPort(), route);
            registered.signalAll();
        } finally {
            registrations.unlock();
        }
    }

    @Override
    public void channelConnecting() {
        registrations.lock();
        try {
            connecting++;
        } finally {
            registrations.unlock();
        }
    }

    @Override
    public void channelConnectDone() {
        registrations.lock();
        try {
            connecting--;
            registered.signalAll();
        } finally {
            registrations.unlock();
        }
    }

    @Override
    public void unrouteChannel(ChannelRoute route) {
        byClientPort.remove(route.localPort(), route.tag());
        channelsByClientPort.remove(route.localPort(), route);
    }

    /**
     * The proxy asks at accept whether this client is a redirected channel (no handshake follows). The
     * destination is the address the app's channel resolved, so the proxy does not resolve it again; the
     * caller tag keeps the host name the app used.
     */
    @Override
    public Route route(InetSocketAddress client) {
        if (!client.getAddress().equals(proxyAddress)) {
            return null;
        }
        ChannelRoute route = channelsByClientPort.remove(client.getPort());
        if (route == null) {
            route = awaitRegistration(client.getPort());
        }
        return route == null ? null : new TransparentRoute(route);
    }

    /**
     * An unbound channel is registered only after its connect returned, possibly after the proxy accepted
     * it: while such connects are in flight, wait (bounded) for this port's registration. A SOCKS client
     * from the socket path registers its tag instead ({@link #viaProxy}), which ends the wait too.
     */
    private ChannelRoute awaitRegistration(int port) {
        long deadline = System.nanoTime() + REGISTRATION_WAIT_NANOS;
        registrations.lock();
        try {
            while (true) {
                // read before the lookup: a connect that ended meanwhile registered before it said so
                boolean noneInFlight = connecting <= 0;
                boolean socksClient = byClientPort.containsKey(port);
                ChannelRoute route = channelsByClientPort.remove(port);
                long left = deadline - System.nanoTime();
                if (route != null || noneInFlight || socksClient || left <= 0) {
                    return route;
                }
                registered.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the proxy is closing
            return null;
        } finally {
            registrations.unlock();
        }
    }

    private record TransparentRoute(ChannelRoute channel) implements Route {
        @Override
        public InetSocketAddress destination() {
            return channel.destination();
        }

        @Override
        public void connected(InetSocketAddress reached) {
            channel.complete(0, null);
        }

        /**
         * The channel gets the proxy's dial failure (what a direct connect throws), except a timeout: the
         * proxy's own ran out, and a channel's direct connect has none but the OS's ("Connection timed out").
         */
        @Override
        public void failed(ReplyCode code) {
            IOException dial = DialFailures.take(channel.tag());
            IOException direct = dial == null || dial instanceof java.net.SocketTimeoutException ? null
                    : DialFailures.copy(dial, new StackTraceElement[0]);
            channel.complete(code.code(), direct != null ? direct : ReplyCodes.exceptionFor(code));
        }
    }

    /** The app's {@code Socket.connect} timeout bounds the proxy's dial for its connection (0: none). */
    @Override
    public int connectTimeoutMillis(Object tag, int serverMillis) {
        return tag instanceof CallerTag caller && caller.connectTimeoutMillis() >= 0
                ? caller.connectTimeoutMillis() : serverMillis;
    }

    /**
     * Kept for the app's connect to throw (see {@link DialFailures}); a refusal by policy or a block route
     * becomes the documented {@code ConnectException} that names socksbridge's policy.
     */
    @Override
    public void dialFailed(Object tag, IOException failure) {
        if (tag instanceof CallerTag caller) {
            DialFailures.record(caller, failure instanceof ConnectionDeniedException
                    ? ReplyCodes.exceptionFor(ReplyCode.NOT_ALLOWED) : failure);
        }
    }

    /**
     * The proxy tags each session with the caller of the app socket that is its client (reported so),
     * removed so each is used once; null if none. An app socket connecting to the proxy's address has
     * that same address as its local address, so a client from another loopback address (127.0.0.2...)
     * with a registered port number is not ours.
     */
    @Override
    public Object tag(long sessionId, InetSocketAddress client) {
        CallerTag tag = client.getAddress().equals(proxyAddress) ? byClientPort.remove(client.getPort()) : null;
        if (tag != null) {
            reporter.tagSession(sessionId, tag);
        }
        return tag;
    }


    @Override
    public void lookedUp(CallerTag tag, InetAddress[] addresses, Throwable failure, long endNanos) {
        reporter.lookup(tag, addresses, failure, endNanos);
    }

    @Override
    public void datagram(CallerTag tag, InetSocketAddress target, long bytes, int datagrams) {
        reporter.datagram(tag, target, bytes, datagrams);
    }

    @Override
    public void direct(CallerTag tag, InetSocketAddress endpoint, Throwable failure, long endNanos) {
        direct(tag, endpoint, failure, endNanos, null);
    }

    @Override
    public void direct(CallerTag tag, InetSocketAddress endpoint, Throwable failure, long endNanos,
            String notProxied) {
        // A direct connection cannot be refused here; the rules still say what enforce mode would do.
        String who = tag.callerClass() == null ? "unknown" : tag.callerClass();
        AccessRules.Decision decision = rules.decide(tag.callerClass(), who, List.of(tag.host()), tag.port());
        reporter.direct(tag, endpoint, failure, endNanos,
                decision.permitted() ? Decision.ALLOW : Decision.wouldDeny(decision.reason()), notProxied);
    }
}
