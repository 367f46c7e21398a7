package dev.socksbridge.agent.bootstrap;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** What the agent does with what the advice saw; set once by the agent, called from application threads. */
public interface ConnectObserver {

    /**
     * Whether connections need their caller found (something reports them, or a rule names callers);
     * without, the hooks tag them with the thread only.
     */
    default boolean wantsCallers() {
        return true;
    }

    /** Whether a socket implementation connected to the in-process proxy (so the session will report it). */
    boolean isProxy(InetSocketAddress address);

    /** The app's socket with this local port is about to speak SOCKS to the in-process proxy. */
    void viaProxy(int localPort, CallerTag tag);

    /** {@code Socket.connect} returned, or failed, without the in-process proxy. */
    void direct(CallerTag tag, InetSocketAddress remote, Throwable failure, long endNanos);

    /**
     * A connect the agent meant to redirect went direct: {@code notProxied} says why (null: it was never
     * meant to be redirected).
     */
    default void direct(CallerTag tag, InetSocketAddress remote, Throwable failure, long endNanos,
            String notProxied) {
        direct(tag, remote, failure, endNanos);
    }

    /**
     * Where a channel connecting to {@code destination} is redirected (the in-process proxy), or null when
     * it goes direct (loopback without include-loopback, or the proxy itself).
     */
    InetSocketAddress channelProxyFor(InetSocketAddress destination);

    /** A channel bound to {@code route.localPort()} is about to connect to the proxy without a handshake. */
    void routeChannel(ChannelRoute route);

    /**
     * Why a connect that would be redirected cannot be right now (the proxy at its session limit), or
     * null when it can.
     */
    default String unroutable() {
        return null;
    }

    /** Whether a connect the agent cannot route fails ({@code mode=enforce}) instead of going direct. */
    default boolean failsUnroutable() {
        return false;
    }

    /**
     * A channel is connecting to the proxy unbound: its port is registered ({@link #routeChannel}) right
     * after its connect returns, and the proxy may accept it first, so it waits for registrations while
     * any such connect is in flight. Each call is followed by one {@link #channelConnectDone}.
     */
    default void channelConnecting() {
    }

    /** The connect announced by {@link #channelConnecting} returned (its route registered, or not). */
    default void channelConnectDone() {
    }

    /** The channel never reached the proxy: forget its registration. */
    void unrouteChannel(ChannelRoute route);

    /**
     * The app resolved {@code host} ({@code InetAddress.getByName/getAllByName}).
     *
     * @param addresses null when the lookup failed
     */
    void lookedUp(CallerTag tag, InetAddress[] addresses, Throwable failure, long endNanos);

    /** The app sent {@code bytes} in one datagram to {@code target} ({@code datagrams} 0: it only connected). */
    void datagram(CallerTag tag, InetSocketAddress target, long bytes, int datagrams);

    /** {@code Socket.connect} is over for a socket that went through the proxy: forget its port. */
    void finished(int localPort);
}
