package dev.socksbridge.agent;

import dev.socksbridge.agent.bootstrap.Hooks;
import dev.socksbridge.proxy.capture.InProcessProxySelector;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Points the JVM's own proxy machinery at the in-process proxy, and puts it back at exit: shutdown hooks
 * of the app that still connect after the proxy closed then go direct instead of failing. What was there
 * is saved before anything changes, so {@link #restore()} also undoes a {@link #point()} that failed
 * part-way (a failed start-up leaves the JVM as it was).
 */
final class JvmProxySettings {

    private final ProxySelector previousSelector;
    private final ProxySelector selector;
    private final Map<String, String> wanted = new LinkedHashMap<>();
    private final Map<String, String> previousProperties = new LinkedHashMap<>();

    private JvmProxySettings(InetSocketAddress proxy, boolean includeLoopback) {
        previousSelector = ProxySelector.getDefault();
        selector = selector(previousSelector, proxy, includeLoopback, null);
        wanted.put("socksProxyHost", proxy.getAddress().getHostAddress());
        wanted.put("socksProxyPort", Integer.toString(proxy.getPort()));
        if (includeLoopback) {
            // Any non-empty value would be appended to the JDK's loopback defaults; only "" clears them.
            wanted.put("socksNonProxyHosts", "");
            wanted.put("http.nonProxyHosts", "");
        }
        for (String key : wanted.keySet()) {
            previousProperties.put(key, System.getProperty(key));
        }
    }

    /**
     * The agent's selector: a proxy the app configured before wins; {@code http(s)://} goes to the proxy only
     * when {@code askedByUrlConnection} (null: {@link InProcessProxySelector#askedByUrlConnection()}) says the
     * asker is {@code HttpURLConnection} (other clients are captured where they connect); the agent's own
     * threads always go direct.
     */
    static ProxySelector selector(ProxySelector previous, InetSocketAddress proxy, boolean includeLoopback,
            BooleanSupplier askedByUrlConnection) {
        InProcessProxySelector.Builder builder = InProcessProxySelector.to(proxy).previous(previous)
                .includeLoopback(includeLoopback ? Switch.ON : Switch.OFF).bypassed(Switch.AGENT_THREAD)
                .keepAppProxies(true);
        if (askedByUrlConnection != null) {
            builder.httpAskerSpeaksSocks(askedByUrlConnection);
        }
        return builder.build();
    }

    /** The selector's switches; constants, not lambdas, which would each cost start-up (see docs/agent.md). */
    private enum Switch implements BooleanSupplier {
        ON {
            @Override
            public boolean getAsBoolean() {
                return true;
            }
        },
        OFF {
            @Override
            public boolean getAsBoolean() {
                return false;
            }
        },
        /** The current thread runs the agent's own code, whose connections go direct. */
        AGENT_THREAD {
            @Override
            public boolean getAsBoolean() {
                return Hooks.isBypassed();
            }
        }
    }

    /** Saves the JVM's current proxy settings; changes nothing yet. */
    static JvmProxySettings saving(InetSocketAddress proxy, boolean includeLoopback) {
        return new JvmProxySettings(proxy, includeLoopback);
    }

    /** Points the JVM at the proxy. */
    void point() {
        ProxySelector.setDefault(selector);
        for (Map.Entry<String, String> property : wanted.entrySet()) {
            System.setProperty(property.getKey(), property.getValue());
        }
    }

    /** Puts back what was there, unless the app changed it since. */
    void restore() {
        if (ProxySelector.getDefault() == selector) {
            ProxySelector.setDefault(previousSelector);
        }
        for (Map.Entry<String, String> property : previousProperties.entrySet()) {
            if (property.getValue() == null) {
                System.clearProperty(property.getKey());
            } else {
                System.setProperty(property.getKey(), property.getValue());
            }
        }
    }
}
