package dev.socksbridge.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.socksbridge.agent.bootstrap.Hooks;
import dev.socksbridge.proxy.capture.InProcessProxySelector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The agent's configuration of the shared {@link InProcessProxySelector} ({@link JvmProxySettings#selector}). */
class AgentProxySelectorTest {

    private static final InetSocketAddress PROXY = new InetSocketAddress("127.0.0.1", 40123);
    private static final Proxy SOCKS = new Proxy(Proxy.Type.SOCKS, PROXY);

    private static ProxySelector direct() {
        return fixed(List.of(Proxy.NO_PROXY));
    }

    private static ProxySelector fixed(List<Proxy> answer) {
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return answer;
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            }
        };
    }

    /** The agent's selector, with the real check of who asks. */
    private static ProxySelector agentSelector(ProxySelector previous, boolean includeLoopback) {
        return JvmProxySettings.selector(previous, PROXY, includeLoopback, InProcessProxySelector::askedByUrlConnection);
    }

    /** A selector that takes every {@code select} call for one from the JDK's HttpURLConnection. */
    private static ProxySelector forUrlConnection(ProxySelector previous, boolean includeLoopback) {
        return JvmProxySettings.selector(previous, PROXY, includeLoopback, () -> true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"socket://api.example.com:443", "http://api.example.com/x", "https://10.1.2.3:8443/"})
    void outboundDestinationsGoToTheInProcessProxy(String uri) {
        assertEquals(List.of(SOCKS), forUrlConnection(direct(), false).select(URI.create(uri)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://api.example.com/x", "https://10.1.2.3:8443/"})
    void httpLookupsOfOtherClientsStayDirectForTheirSocketsToBeCapturedWhereTheyConnect(String uri) {
        // gRPC reads any non-direct answer as an HTTP proxy and would send CONNECT to the SOCKS port
        ProxySelector selector = JvmProxySettings.selector(direct(), PROXY, false, () -> false);
        assertEquals(List.of(Proxy.NO_PROXY), selector.select(URI.create(uri)));
        assertEquals(List.of(SOCKS), selector.select(URI.create("socket://api.example.com:443")));
    }

    @Test
    void aCallerOutsideTheJdksUrlConnectionsIsToldDirectForHttp() {
        // the real stack check: this test's frames are not sun.net.www
        ProxySelector selector = agentSelector(direct(), false);
        assertEquals(List.of(Proxy.NO_PROXY), selector.select(URI.create("https://api.example.com/")));
        assertEquals(List.of(SOCKS), selector.select(URI.create("socket://api.example.com:443")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"socket://127.0.0.1:5432", "http://localhost:8080/", "socket://[::1]:6379",
        "https://app.localhost/", "socket://127.5.6.7:1"})
    void loopbackStaysDirectUnlessIncluded(String uri) {
        assertEquals(List.of(Proxy.NO_PROXY), forUrlConnection(direct(), false).select(URI.create(uri)));
        assertEquals(List.of(SOCKS), forUrlConnection(direct(), true).select(URI.create(uri)));
    }

    @Test
    void otherSchemesStayDirect() {
        ProxySelector selector = agentSelector(direct(), true);
        assertEquals(List.of(Proxy.NO_PROXY), selector.select(URI.create("ftp://files.example.com/")));
    }

    @Test
    void aProxyTheAppConfiguredInThePreviousSelectorIsKept() {
        List<Proxy> corporate = List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("proxy.corp", 3128)));
        ProxySelector selector = forUrlConnection(fixed(corporate), false);
        assertEquals(corporate, selector.select(URI.create("http://api.example.com/")));
    }

    @Test
    void thePreviousSelectorPointingAtUsIsNotAnAppChoice() {
        // the JDK's default selector reads socksProxyHost/socksProxyPort, which the agent set to itself
        List<Proxy> ours = List.of(new Proxy(Proxy.Type.SOCKS, InetSocketAddress.createUnresolved("127.0.0.1", 40123)));
        ProxySelector selector = agentSelector(fixed(ours), false);
        assertEquals(List.of(Proxy.NO_PROXY), selector.select(URI.create("socket://127.0.0.1:80")));
        assertEquals(List.of(SOCKS), selector.select(URI.create("socket://api.example.com:80")));
    }

    @Test
    void theAgentsOwnThreadsAlwaysGoDirect() {
        ProxySelector selector = agentSelector(direct(), true);
        Hooks.beginBypass();
        try {
            assertEquals(List.of(Proxy.NO_PROXY), selector.select(URI.create("socket://api.example.com:443")));
        } finally {
            Hooks.endBypass();
        }
        assertEquals(List.of(SOCKS), selector.select(URI.create("socket://api.example.com:443")));
    }

    @Test
    void nullUriIsRejectedAsTheContractSays() {
        ProxySelector selector = agentSelector(direct(), true);
        assertThrows(IllegalArgumentException.class, () -> selector.select(null));
    }
}
