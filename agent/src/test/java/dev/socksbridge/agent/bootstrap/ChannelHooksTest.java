package dev.socksbridge.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A channel connect whose redirection fails part-way must still connect as it would without the agent
 * where it can, and leave nothing registered behind. Real loopback sockets; the advice's calls are made
 * directly (no instrumentation in a unit test).
 */
class ChannelHooksTest {

    private ServerSocketChannel proxy;
    private ServerSocketChannel destination;

    @BeforeEach
    void listen() throws IOException {
        proxy = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        destination = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void close() throws IOException {
        Hooks.uninstall();
        proxy.close();
        destination.close();
    }

    @Test
    void registrationFailingAfterTheBindUnwindsAndConnectsToTheRealDestination() throws IOException {
        FailingObserver observer = new FailingObserver((InetSocketAddress) proxy.getLocalAddress(), false);
        Hooks.install(observer, List.of());
        InetSocketAddress target = (InetSocketAddress) destination.getLocalAddress();
        try (SocketChannel channel = SocketChannel.open()) {
            Object pending = ChannelHooks.connectEnter(channel, target);

            assertNotNull(pending, "the connect is still reported, as a direct one");
            assertFalse(pending instanceof ChannelRoute, "a route the proxy does not know must not be used");
            assertFalse(ChannelHooks.isAwaiting(channel), "no completion may wait for a proxy answer");
            int localPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            assertEquals(List.of(localPort), observer.unroutedPorts, "the half-made registration is forgotten");

            assertEquals(target, ChannelHooks.target(pending, target));
            assertTrue(channel.connect(ChannelHooks.target(pending, target)));
            try (SocketChannel accepted = destination.accept()) {
                assertEquals(localPort, ((InetSocketAddress) accepted.getRemoteAddress()).getPort());
            }
            assertNull(ChannelHooks.connectExit(channel, pending, true, null));
            assertEquals(List.of(target), observer.direct);
        }
    }

    @Test
    void failureBeforeTheBindLeavesTheChannelUntouchedAndReportsItDirectWithTheReason() throws IOException {
        FailingObserver observer = new FailingObserver((InetSocketAddress) proxy.getLocalAddress(), true);
        Hooks.install(observer, List.of());
        InetSocketAddress target = (InetSocketAddress) destination.getLocalAddress();
        try (SocketChannel channel = SocketChannel.open()) {
            Object pending = ChannelHooks.connectEnter(channel, target);

            assertNull(channel.getLocalAddress(), "an unbound channel lets the OS choose its source address");
            assertFalse(ChannelHooks.isAwaiting(channel));
            assertSame(target, ChannelHooks.target(pending, target), "goes direct");
            assertTrue(channel.connect(ChannelHooks.target(pending, target)));
            destination.accept().close();
            assertNull(ChannelHooks.connectExit(channel, pending, true, null));
            assertEquals(List.of(target), observer.direct);
            assertEquals(List.of("not proxied (socksbridge: IllegalStateException: injected: routing decision failed)"),
                    observer.reasons);
        }
    }

    /** Routes every channel to {@code proxy}, then fails: in the routing decision or in the registration. */
    private static final class FailingObserver extends QuietObserver {
        final List<Integer> unroutedPorts = new CopyOnWriteArrayList<>();
        final List<InetSocketAddress> direct = new CopyOnWriteArrayList<>();
        final List<String> reasons = new CopyOnWriteArrayList<>();
        private final InetSocketAddress proxy;
        private final boolean failToDecide;

        FailingObserver(InetSocketAddress proxy, boolean failToDecide) {
            this.proxy = proxy;
            this.failToDecide = failToDecide;
        }

        @Override
        public InetSocketAddress channelProxyFor(InetSocketAddress destination) {
            if (failToDecide) {
                throw new IllegalStateException("injected: routing decision failed");
            }
            return proxy;
        }

        @Override
        public void routeChannel(ChannelRoute route) {
            throw new IllegalStateException("injected: registration failed");
        }

        @Override
        public void unrouteChannel(ChannelRoute route) {
            unroutedPorts.add(route.localPort());
        }

        @Override
        public void direct(CallerTag tag, InetSocketAddress remote, Throwable failure, long endNanos) {
            direct.add(remote);
        }

        @Override
        public void direct(CallerTag tag, InetSocketAddress remote, Throwable failure, long endNanos,
                String notProxied) {
            direct(tag, remote, failure, endNanos);
            if (notProxied != null) {
                reasons.add(notProxied);
            }
        }

        @Override
        public boolean isProxy(InetSocketAddress address) {
            return address.equals(proxy);
        }

    }
}
