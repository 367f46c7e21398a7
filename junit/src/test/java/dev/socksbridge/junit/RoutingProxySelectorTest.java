package dev.socksbridge.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.socksbridge.proxy.Destination;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The extension's configuration of the shared proxy selector ({@link InProcessCapture#selector}). */
class RoutingProxySelectorTest {

    private static final Proxy PREVIOUS_ANSWER = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("corp", 3128));
    private static final InetSocketAddress PROXY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1080);

    private final ProxySelector previous = new ProxySelector() {
        @Override
        public List<Proxy> select(URI uri) {
            return List.of(PREVIOUS_ANSWER);
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        }
    };
    private final AtomicBoolean includeLoopback = new AtomicBoolean();
    private final PendingCalls calls = new PendingCalls();
    private final ProxySelector selector = InProcessCapture.selector(previous, PROXY, includeLoopback::get, calls);

    private Proxy only(String uri) {
        List<Proxy> proxies = selector.select(URI.create(uri));
        assertEquals(1, proxies.size(), proxies::toString);
        return proxies.get(0);
    }

    @Test
    void sendsSocketHttpAndHttpsDestinationsToTheInProcessServerAndRemembersEachCall() {
        assertEquals(new Proxy(Proxy.Type.SOCKS, PROXY), only("socket://api.example.com:443"));
        assertEquals(Proxy.Type.SOCKS, only("http://api.example.com/path").type());
        assertEquals(Proxy.Type.SOCKS, only("https://api.example.com/").type());

        assertEquals(3, calls.size());
        PendingCalls.PendingCall http = calls.claim(new Destination("api.example.com", 80));
        assertNotNull(http, "http:// without a port is port 80");
        assertSame(Thread.currentThread(), http.thread());
        assertNotNull(calls.claim(new Destination("api.example.com", 443)));
        assertNotNull(calls.claim(new Destination("api.example.com", 443)));
    }

    @Test
    void leavesOtherSchemesToThePreviousSelector() {
        assertSame(PREVIOUS_ANSWER, only("ftp://files.example.com/"));
        assertEquals(0, calls.size());
    }

    @Test
    void routesLoopbackOnlyWhenIncluded() {
        assertSame(PREVIOUS_ANSWER, only("socket://127.0.0.1:8080"));
        assertSame(PREVIOUS_ANSWER, only("http://localhost:8080/"));
        assertSame(PREVIOUS_ANSWER, only("socket://[::1]:8080"));
        includeLoopback.set(true);
        assertEquals(Proxy.Type.SOCKS, only("socket://127.0.0.1:8080").type());
        assertEquals(Proxy.Type.SOCKS, only("http://localhost:8080/").type());
        assertEquals(Proxy.Type.SOCKS, only("socket://[::1]:8080").type());
        assertNotNull(calls.claim(new Destination("::1", 8080)), "brackets are dropped from the remembered host");
    }

    @Test
    void neverRoutesTheServerItself() {
        includeLoopback.set(true);
        assertSame(PREVIOUS_ANSWER, only("socket://127.0.0.1:" + PROXY.getPort()));
    }
}
