package dev.socksbridge.agent.bootstrap;

import java.net.InetSocketAddress;

/** What the agent does with what the advice saw; set once by the agent, called from application threads. */
public interface ConnectObserver {

    /** Whether a socket implementation connected to the in-process proxy (so the session will report it). */
    boolean isProxy(InetSocketAddress address);

    /** The app's socket with this local port is about to speak SOCKS to the in-process proxy. */
    void viaProxy(int localPort, CallerTag tag);

    /** {@code Socket.connect} returned, or failed, without the in-process proxy. */
    void direct(CallerTag tag, InetSocketAddress remote, Throwable failure, long endNanos);

    /** {@code Socket.connect} is over for a socket that went through the proxy: forget its port. */
    void finished(int localPort);
}
