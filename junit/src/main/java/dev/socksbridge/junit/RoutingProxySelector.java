package dev.socksbridge.junit;

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
 * Sends {@code socket://}, {@code http://} and {@code https://} destinations to the in-process SOCKS5
 * server and remembers who asked ({@link PendingCalls}); everything else, and loopback destinations
 * unless loopback is included, goes to the selector that was installed before.
 */
final class RoutingProxySelector extends ProxySelector {

    private final ProxySelector previous;
    private final InetSocketAddress proxyAddress;
    private final Proxy proxy;
    private final BooleanSupplier includeLoopback;
    private final PendingCalls pendingCalls;

    RoutingProxySelector(ProxySelector previous, InetSocketAddress proxyAddress, BooleanSupplier includeLoopback,
                         PendingCalls pendingCalls) {
        this.previous = previous;
        this.proxyAddress = proxyAddress;
        this.proxy = new Proxy(Proxy.Type.SOCKS, proxyAddress);
        this.includeLoopback = includeLoopback;
        this.pendingCalls = pendingCalls;
    }

    ProxySelector previous() {
        return previous;
    }

    @Override
    public List<Proxy> select(URI uri) {
        if (uri == null) {
            throw new IllegalArgumentException("uri: null (expected: a URI)");
        }
        String host = uri.getHost();
        int port = portOf(uri);
        if (host == null || port < 0 || !routes(host, port)) {
            return delegate(uri);
        }
        if (CallerFinder.isJdkHttpClient()) {
            // java.net.http.HttpClient drops SOCKS proxies and connects directly: nothing to join later.
            return delegate(uri);
        }
        Thread thread = Thread.currentThread();
        pendingCalls.add(new PendingCalls.PendingCall(unbracket(host), port, CallerFinder.find(), thread,
                System.nanoTime()));
        return List.of(proxy);
    }

    private boolean routes(String host, int port) {
        if (IpLiterals.isLoopback(unbracket(host))) {
            boolean isProxyItself = port == proxyAddress.getPort();
            return includeLoopback.getAsBoolean() && !isProxyItself;
        }
        return true;
    }

    private static int portOf(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "socket":
                return uri.getPort();
            case "http":
                return uri.getPort() >= 0 ? uri.getPort() : 80;
            case "https":
                return uri.getPort() >= 0 ? uri.getPort() : 443;
            default:
                return -1;
        }
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private List<Proxy> delegate(URI uri) {
        return previous != null ? previous.select(uri) : List.of(Proxy.NO_PROXY);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        if (previous != null && !proxyAddress.equals(address)) {
            previous.connectFailed(uri, address, failure);
        }
    }
}
