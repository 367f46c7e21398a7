package dev.socksbridge.agent;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Points the JVM's own proxy machinery at the in-process proxy, and puts it back at exit: shutdown hooks
 * of the app that still connect after the proxy closed then go direct instead of failing.
 */
final class JvmProxySettings {

    private final ProxySelector previousSelector;
    private final AgentProxySelector selector;
    private final Map<String, String> previousProperties = new LinkedHashMap<>();

    private JvmProxySettings(ProxySelector previousSelector, AgentProxySelector selector) {
        this.previousSelector = previousSelector;
        this.selector = selector;
    }

    static JvmProxySettings point(InetSocketAddress proxy, boolean includeLoopback) {
        ProxySelector previous = ProxySelector.getDefault();
        JvmProxySettings settings = new JvmProxySettings(previous,
                new AgentProxySelector(previous, proxy, includeLoopback));
        ProxySelector.setDefault(settings.selector);
        settings.set("socksProxyHost", proxy.getAddress().getHostAddress());
        settings.set("socksProxyPort", Integer.toString(proxy.getPort()));
        if (includeLoopback) {
            // Any non-empty value would be appended to the JDK's loopback defaults; only "" clears them.
            settings.set("socksNonProxyHosts", "");
            settings.set("http.nonProxyHosts", "");
        }
        return settings;
    }

    private void set(String key, String value) {
        previousProperties.put(key, System.setProperty(key, value));
    }

    /** Puts back what was there, unless the app changed it since. */
    void restore() {
        if (ProxySelector.getDefault() == selector) {
            ProxySelector.setDefault(previousSelector);
        }
        previousProperties.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }
}
