package dev.socksbridge.agent.bootstrap;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** An installed observer that routes nothing and records nothing; tests override what they watch. */
class QuietObserver implements ConnectObserver {

    @Override
    public boolean isProxy(InetSocketAddress address) {
        return false;
    }

    @Override
    public void viaProxy(int localPort, CallerTag tag) {
    }

    @Override
    public void direct(CallerTag tag, InetSocketAddress remote, Throwable failure, long endNanos) {
    }

    @Override
    public InetSocketAddress channelProxyFor(InetSocketAddress destination) {
        return null;
    }

    @Override
    public void routeChannel(ChannelRoute route) {
    }

    @Override
    public void unrouteChannel(ChannelRoute route) {
    }

    @Override
    public void lookedUp(CallerTag tag, InetAddress[] addresses, Throwable failure, long endNanos) {
    }

    @Override
    public void datagram(CallerTag tag, InetSocketAddress target, long bytes, int datagrams) {
    }

    @Override
    public void finished(int localPort) {
    }
}
