package dev.socksbridge.agent.bootstrap;

import dev.socksbridge.proxy.ReplyCodes;
import dev.socksbridge.proxy.protocol.ReplyCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.LinuxSocket;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The calls the advice inlined into Netty's {@code io.netty.channel.unix.Socket} makes, on real epoll
 * sockets over loopback (no instrumentation in a unit test: the test makes the advice's calls around the
 * socket's own). A listening channel plays the proxy; the test gives the proxy's answer.
 */
class NettyHooksTest {

    private ServerSocketChannel proxy;
    private InetSocketAddress destination;
    private RoutingObserver observer;

    @BeforeAll
    static void nativeEpoll() {
        Epoll.ensureAvailability();
    }

    @BeforeEach
    void listen() throws IOException {
        proxy = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        destination = new InetSocketAddress(InetAddress.getByAddress("app.invalid", new byte[] {10, 9, 8, 7}), 443);
        observer = new RoutingObserver((InetSocketAddress) proxy.getLocalAddress());
        Hooks.install(observer, List.of());
    }

    @AfterEach
    void close() throws IOException {
        Hooks.uninstall();
        proxy.close();
    }

    /** A TCP socket as Netty opens it, with the advice's calls around its factory. */
    private static LinuxSocket newStreamSocket() {
        NettyHooks.streamSocketOpened();
        LinuxSocket socket = LinuxSocket.newSocketStream();
        NettyHooks.socketCreated(socket);
        return socket;
    }

    @Test
    void aConnectGoesToTheProxyFromItsAddressAndTheSocketStillNamesTheDestination() throws Exception {
        LinuxSocket socket = newStreamSocket();
        try {
            Object pending = NettyHooks.connectEnter(socket, destination);

            assertEquals(proxy.getLocalAddress(), NettyHooks.target(pending, destination));
            assertEquals(0, socket.localAddress().getPort(), "not bound: the connect picks its port");
            assertTrue(observer.routes.isEmpty(), "registered only once the connect has its port");
            observer.answer(0, null);
            assertNull(connect(socket, pending));
            ChannelRoute route = observer.only();
            assertEquals(destination, route.destination());
            assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), route.localPort()), socket.localAddress(),
                    "registered by the port the connect got: the proxy knows the client by that port");
            InetSocketAddress peer = socket.remoteAddress();
            assertEquals(proxy.getLocalAddress(), peer, "the OS's answer, before the advice");
            assertSame(destination, NettyHooks.remoteAddress(socket, peer), "what the app sees");
        } finally {
            socket.close();
        }
    }

    /** SOCKS5 reply codes: the exception is what Netty itself throws for the matching errno. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "5|java.net.ConnectException|failed with error(-111): Connection refused",
        "6|java.net.ConnectException|failed with error(-110): Connection timed out",
        "4|java.net.NoRouteToHostException|",
        "3|java.net.NoRouteToHostException|",
        "2|java.net.ConnectException|Connection not allowed by ruleset (socksbridge policy, mode=enforce)"})
    void aFailedUpstreamConnectFailsTheAppsConnectAsNettyWould(int reply, String type, String message)
            throws Exception {
        LinuxSocket socket = newStreamSocket();
        try {
            Object pending = NettyHooks.connectEnter(socket, destination);
            observer.answer(reply, ReplyCodes.exceptionFor(ReplyCode.fromCode(reply)));

            Throwable failure = connect(socket, pending);

            assertEquals(type, failure.getClass().getName(), String.valueOf(failure));
            if (message == null) {
                assertNull(failure.getMessage(), "Netty's NoRouteToHostException has no message");
            } else {
                assertTrue(failure.getMessage().endsWith(message), failure.getMessage());
            }
            if (failure instanceof ConnectException && reply != 2) {
                assertTrue(failure.getMessage().startsWith("connect(..) ")
                        || failure.getMessage().startsWith("finishConnect(..) "), failure.getMessage());
            }
        } finally {
            socket.close();
        }
    }

    @Test
    void udpSocketsAndSocketsBoundElsewhereAreNotRedirected() throws Exception {
        LinuxSocket datagram = LinuxSocket.newSocketDgram();
        LinuxSocket bound = newStreamSocket();
        try {
            assertNull(NettyHooks.connectEnter(datagram, destination), "a UDP connect only sets the peer");

            bound.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            Object pending = NettyHooks.connectEnter(bound, destination);
            assertSame(destination, NettyHooks.target(pending, destination), "the proxy could not tell it is ours");
            assertTrue(observer.routes.isEmpty());
        } finally {
            datagram.close();
            bound.close();
        }
    }

    /**
     * Connects the socket where the advice sent it and completes the connect as Netty does; returns what
     * the completion threw (the advice's result), or null.
     */
    private Throwable connect(LinuxSocket socket, Object pending) throws Exception {
        boolean connected = socket.connect(NettyHooks.target(pending, destination));
        Throwable thrown = NettyHooks.connectExit(socket, pending, connected, null);
        if (connected) {
            return thrown;
        }
        try (SocketChannel accepted = proxy.accept()) { // the handshake is done once the proxy accepted it
            assertTrue(socket.finishConnect());
            return NettyHooks.finishConnectExit(socket, true, null);
        }
    }

    /** Sends every destination to the test's proxy and keeps the registrations. */
    private static final class RoutingObserver extends QuietObserver {
        final List<ChannelRoute> routes = new CopyOnWriteArrayList<>();
        private final InetSocketAddress proxy;

        RoutingObserver(InetSocketAddress proxy) {
            this.proxy = proxy;
        }

        ChannelRoute only() {
            assertEquals(1, routes.size(), routes.toString());
            return routes.get(0);
        }

        @Override
        public InetSocketAddress channelProxyFor(InetSocketAddress destination) {
            return proxy;
        }

        private volatile int answerCode = -1;
        private volatile IOException answerFailure;

        /** The proxy's answer each route gets as it is registered (-1: none). */
        void answer(int code, IOException failure) {
            answerFailure = failure;
            answerCode = code;
        }

        @Override
        public void routeChannel(ChannelRoute route) {
            routes.add(route);
            if (answerCode >= 0) {
                route.complete(answerCode, answerFailure);
            }
        }
    }
}
