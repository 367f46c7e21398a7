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
import java.util.function.BooleanSupplier;

/**
 * Sends the app's {@code socket://} destinations, and the {@code http://}/{@code https://} ones the JDK's
 * {@code HttpURLConnection} asks about, to the in-process SOCKS proxy. It wraps the selector that was the
 * default before: a proxy the app configured there (e.g. {@code http.proxyHost}) is kept; loopback stays
 * direct unless {@code include-loopback=true}; the agent's own threads always go direct. A {@code Proxy}
 * the app passes explicitly never reaches a selector, so it is respected by construction.
 *
 * <p>Why {@code http(s)://} only for {@code HttpURLConnection}: a SOCKS answer there means "speak SOCKS"
 * only to it (it connects {@code Proxy.NO_PROXY} sockets when told direct, so it must hear SOCKS to be
 * seen). Other clients read any non-direct answer as an HTTP proxy (gRPC sends {@code CONNECT} to it and
 * fails) or drop SOCKS answers ({@code java.net.http.HttpClient}, Apache HttpClient); told direct, their
 * sockets and channels are still captured where they connect ({@code socket://} lookups and the channel
 * hooks), so the answer changes nothing for them but the breakage.
 */
final class AgentProxySelector extends ProxySelector {

    private final ProxySelector previous;
    private final Proxy socks;
    private final InetSocketAddress proxyAddress;
    private final boolean includeLoopback;
    private final BooleanSupplier askedByUrlConnection;

    AgentProxySelector(ProxySelector previous, InetSocketAddress proxyAddress, boolean includeLoopback) {
        this(previous, proxyAddress, includeLoopback, AgentProxySelector::askedByUrlConnection);
    }

    /** {@code askedByUrlConnection}: whether the current {@code select} call comes from the JDK's URL connections. */
    AgentProxySelector(ProxySelector previous, InetSocketAddress proxyAddress, boolean includeLoopback,
            BooleanSupplier askedByUrlConnection) {
        this.previous = previous;
        this.proxyAddress = proxyAddress;
        this.socks = new Proxy(Proxy.Type.SOCKS, proxyAddress);
        this.includeLoopback = includeLoopback;
        this.askedByUrlConnection = askedByUrlConnection;
    }

    @Override
    public List<Proxy> select(URI uri) {
        if (uri == null) {
            throw new IllegalArgumentException("uri: null (expected: a URI)");
        }
        if (Hooks.isBypassed()) {
            return List.of(Proxy.NO_PROXY);
        }
        List<Proxy> appChoice = appConfigured(uri);
        if (appChoice != null) {
            return appChoice;
        }
        if (uri.getHost() == null || (!includeLoopback && isLoopback(uri.getHost())) || !speaksSocks(uri)) {
            return List.of(Proxy.NO_PROXY);
        }
        return List.of(socks);
    }

    /** Whether the asker will speak SOCKS to a SOCKS answer for this URI (see the class comment). */
    private boolean speaksSocks(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "socket" -> true;
            case "http", "https" -> askedByUrlConnection.getAsBoolean();
            default -> false;
        };
    }

    /**
     * Whether {@code sun.net.www} (HttpURLConnection and its https delegate) is among the callers: frames of
     * selectors an app wrapped around this one may stand between, so a few frames are looked at, not one.
     */
    private static boolean askedByUrlConnection() {
        return StackWalker.getInstance().walk(frames -> frames.limit(16)
                .anyMatch(frame -> frame.getClassName().startsWith("sun.net.www.")));
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
