package dev.socksbridge.proxy.capture;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Sends a JVM's own {@code socket://} destinations, and the {@code http://}/{@code https://} ones whose
 * asker will speak SOCKS, to the in-process SOCKS proxy, in front of the selector that was the default
 * before. Loopback stays away from it unless included, and the proxy is never sent to itself. What is not
 * sent to the proxy gets the previous selector's answer, or direct where that answer is direct or names this
 * proxy (the JDK's default selector reads {@code socksProxyHost}). With {@link Builder#keepAppProxies} a proxy
 * the previous selector names wins everywhere. A {@code Proxy} the app passes explicitly never reaches a
 * selector, so it is respected by construction.
 *
 * <p>Why the asker matters for {@code http(s)://}: a SOCKS answer there means "speak SOCKS" only to the
 * JDK's {@code HttpURLConnection}. gRPC reads any non-direct answer as an HTTP proxy and sends
 * {@code CONNECT} to it; {@code java.net.http.HttpClient} drops SOCKS answers. The agent, which sees other
 * clients' sockets and channels where they connect, answers SOCKS only to {@code HttpURLConnection}
 * ({@link #askedByUrlConnection()}); the JUnit extension, which has no other place to see them, answers it
 * to every asker but the JDK's {@code HttpClient}.
 */
public final class InProcessProxySelector extends ProxySelector {

    private static final List<Proxy> DIRECT = List.of(Proxy.NO_PROXY);

    /** Told on the connecting thread about each destination sent to the proxy. */
    public interface RouteListener {
        void routed(String host, int port);
    }

    private final ProxySelector previous;
    private final InetSocketAddress proxyAddress;
    private final Proxy socks;
    private final BooleanSupplier includeLoopback;
    private final BooleanSupplier bypassed;
    private final boolean keepAppProxies;
    private final BooleanSupplier httpAskerSpeaksSocks;
    private final RouteListener listener;

    private InProcessProxySelector(Builder b) {
        this.previous = b.previous;
        this.proxyAddress = b.proxyAddress;
        this.socks = new Proxy(Proxy.Type.SOCKS, b.proxyAddress);
        this.includeLoopback = b.includeLoopback;
        this.bypassed = b.bypassed;
        this.keepAppProxies = b.keepAppProxies;
        this.httpAskerSpeaksSocks = b.httpAskerSpeaksSocks;
        this.listener = b.listener;
    }

    /** A selector for the proxy listening on {@code proxyAddress}; by default nothing before it, loopback direct. */
    public static Builder to(InetSocketAddress proxyAddress) {
        return new Builder(Objects.requireNonNull(proxyAddress, "proxyAddress"));
    }

    @Override
    public List<Proxy> select(URI uri) {
        if (uri == null) {
            throw new IllegalArgumentException("uri: null (expected: a URI)");
        }
        if (bypassed != null && bypassed.getAsBoolean()) {
            return DIRECT;
        }
        boolean routed = routes(uri);
        if (keepAppProxies || !routed) {
            List<Proxy> appChoice = appConfigured(uri);
            if (appChoice != null) {
                return appChoice;
            }
        }
        if (!routed) {
            return DIRECT;
        }
        String host = uri.getHost();
        if (listener != null) {
            listener.routed(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, portOf(uri));
        }
        return List.of(socks);
    }

    private boolean routes(URI uri) {
        String host = uri.getHost();
        int port = portOf(uri);
        if (host == null || port < 0
                || isLoopback(host) && (includeLoopback == null || !includeLoopback.getAsBoolean()
                        || port == proxyAddress.getPort())) {
            return false;
        }
        return "socket".equalsIgnoreCase(uri.getScheme())
                || (httpAskerSpeaksSocks == null ? askedByUrlConnection() : httpAskerSpeaksSocks.getAsBoolean());
    }

    /** The destination port; -1 for a scheme other than {@code socket}, {@code http} and {@code https}. */
    private static int portOf(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "socket" -> uri.getPort();
            case "http" -> uri.getPort() >= 0 ? uri.getPort() : 80;
            case "https" -> uri.getPort() >= 0 ? uri.getPort() : 443;
            default -> -1;
        };
    }

    /**
     * Whether {@code sun.net.www} (HttpURLConnection and its https delegate) is among the callers: frames of
     * selectors an app wrapped around this one may stand between, so a few frames are looked at, not one.
     */
    public static boolean askedByUrlConnection() {
        return StackWalker.getInstance().walk(frames -> frames.limit(16)
                .anyMatch(frame -> frame.getClassName().startsWith("sun.net.www.")));
    }

    /** Whether the JDK's {@code java.net.http.HttpClient} asks: it drops SOCKS answers and connects directly. */
    public static boolean askedByJdkHttpClient() {
        return StackWalker.getInstance().walk(frames -> frames
                .anyMatch(frame -> frame.getClassName().startsWith("jdk.internal.net.http.")));
    }

    /** What the previous selector says, unless it says "direct" or points at this proxy. */
    private List<Proxy> appConfigured(URI uri) {
        List<Proxy> choice = previous == null ? null : previous.select(uri);
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

    /** Decided from the name alone, like the JDK's {@code nonProxyHosts} defaults: a selector must not do DNS lookups. */
    private static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.endsWith(".localhost") || h.startsWith("127.") || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1");
    }

    /** How the selector decides; every setting has a default. */
    public static final class Builder {
        private final InetSocketAddress proxyAddress;
        private ProxySelector previous;
        // Unset settings stay null and mean the documented default: no lambda is made while an agent starts.
        private BooleanSupplier includeLoopback;
        private BooleanSupplier bypassed;
        private boolean keepAppProxies;
        private BooleanSupplier httpAskerSpeaksSocks;
        private RouteListener listener;

        private Builder(InetSocketAddress proxyAddress) {
            this.proxyAddress = proxyAddress;
        }

        /** The selector that was the default before; {@code null} for none. */
        public Builder previous(ProxySelector previous) {
            this.previous = previous;
            return this;
        }

        /** Asked on each lookup: whether loopback destinations go to the proxy too (default: no). */
        public Builder includeLoopback(BooleanSupplier includeLoopback) {
            this.includeLoopback = Objects.requireNonNull(includeLoopback, "includeLoopback");
            return this;
        }

        /** Asked on each lookup: whether every connection of the current thread goes direct (default: never). */
        public Builder bypassed(BooleanSupplier bypassed) {
            this.bypassed = Objects.requireNonNull(bypassed, "bypassed");
            return this;
        }

        /** Whether a proxy the previous selector names (other than this one) wins over this one (default: no). */
        public Builder keepAppProxies(boolean keepAppProxies) {
            this.keepAppProxies = keepAppProxies;
            return this;
        }

        /**
         * Asked on each {@code http(s)://} lookup: whether the asker will speak SOCKS to a SOCKS answer
         * (default: {@link #askedByUrlConnection()}); told no, it is answered as the previous selector says.
         */
        public Builder httpAskerSpeaksSocks(BooleanSupplier httpAskerSpeaksSocks) {
            this.httpAskerSpeaksSocks = Objects.requireNonNull(httpAskerSpeaksSocks, "httpAskerSpeaksSocks");
            return this;
        }

        public Builder listener(RouteListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public InProcessProxySelector build() {
            return new InProcessProxySelector(this);
        }
    }
}
