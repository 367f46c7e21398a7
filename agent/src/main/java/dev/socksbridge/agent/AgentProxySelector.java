package dev.socksbridge.agent;

import dev.socksbridge.agent.bootstrap.Hooks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Sends the app's {@code socket://}, {@code http://} and {@code https://} destinations to the in-process
 * SOCKS proxy. It wraps the selector that was the default before: a proxy the app configured there
 * (e.g. {@code http.proxyHost}) is kept; loopback stays direct unless {@code include-loopback=true};
 * the agent's own threads always go direct. A {@code Proxy} the app passes explicitly never reaches a
 * selector, so it is respected by construction.
 */
final class AgentProxySelector extends ProxySelector {

    private final ProxySelector previous;
    private final Proxy socks;
    private final InetSocketAddress proxyAddress;
    private final boolean includeLoopback;

    AgentProxySelector(ProxySelector previous, InetSocketAddress proxyAddress, boolean includeLoopback) {
        this.previous = previous;
        this.proxyAddress = proxyAddress;
        this.socks = new Proxy(Proxy.Type.SOCKS, proxyAddress);
        this.includeLoopback = includeLoopback;
    }

    @Override
    public List<Proxy> select(URI uri) {
        if (uri == null) {
            throw new IllegalArgumentException("uri: null (expected: a URI)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean ours = scheme.equals("socket") || scheme.equals("http") || scheme.equals("https");
        if (Hooks.isBypassed()) {
            return List.of(Proxy.NO_PROXY);
        }
        List<Proxy> appChoice = appConfigured(uri);
        if (appChoice != null) {
            return appChoice;
        }
        if (!ours || uri.getHost() == null || (!includeLoopback && isLoopback(uri.getHost()))) {
            return List.of(Proxy.NO_PROXY);
        }
        return List.of(socks);
    }

    /** What the previous selector says, unless it says "direct" or points at our own proxy. */
    private List<Proxy> appConfigured(URI uri) {
        if (previous == null) {
            return null;
        }
        List<Proxy> choice = previous.select(uri);
        if (choice == null) {
            return null;
        }
        for (Proxy proxy : choice) {
            if (proxy.type() != Proxy.Type.DIRECT && !isOurs(proxy.address())) {
                return choice;
            }
        }
        return null;
    }

    private boolean isOurs(SocketAddress address) {
        return address instanceof InetSocketAddress a && a.getPort() == proxyAddress.getPort()
                && (a.isUnresolved() ? isLoopback(a.getHostString()) : a.getAddress().isLoopbackAddress());
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        if (previous != null && !isOurs(address)) {
            previous.connectFailed(uri, address, failure);
        }
    }

    /** Decided from the name alone: a selector must not do DNS lookups. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.endsWith(".localhost") || h.startsWith("127.") || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1");
    }

    ProxySelector previous() {
        return previous;
    }
}
