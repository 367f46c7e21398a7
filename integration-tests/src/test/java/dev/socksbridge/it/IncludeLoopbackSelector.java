package dev.socksbridge.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;

/**
 * What the agent installs with {@code include-loopback=true}, reduced to its core: every {@code socket://}
 * destination, loopback included, goes to the SOCKS proxy. The JDK's default selector (through
 * {@code socksNonProxyHosts}) would send 127.* and localhost direct, past the proxy.
 */
final class IncludeLoopbackSelector extends ProxySelector {
    private final Proxy socks;

    IncludeLoopbackSelector(InetSocketAddress proxy) {
        this.socks = new Proxy(Proxy.Type.SOCKS, proxy);
    }

    @Override
    public List<Proxy> select(URI uri) {
        return List.of("socket".equalsIgnoreCase(uri.getScheme()) ? socks : Proxy.NO_PROXY);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        // The test asserts on the connect itself; there is no fallback route to choose.
    }
}
