package dev.socksbridge.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.socksbridge.agent.bootstrap.AgentEvents;
import dev.socksbridge.agent.bootstrap.ConnectObserver;
import dev.socksbridge.agent.bootstrap.Hooks;
import dev.socksbridge.agent.report.Reporter;
import dev.socksbridge.proxy.Socks5Server;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The agent must never leave the host JVM half set up: a failure at any start-up step that changes the
 * JVM (even one that took effect before failing) leaves its proxy settings, its ProxySelector and the
 * socket hooks as they were, and closes the proxy.
 */
class AgentStartupRollbackTest {

    private static final List<String> PROPERTIES =
            List.of("socksProxyHost", "socksProxyPort", "socksNonProxyHosts", "http.nonProxyHosts");

    private final Map<String, String> saved = new HashMap<>();
    private ProxySelector savedSelector;

    enum Step { HOOKS, PROXY_SETTINGS, SHUTDOWN_HOOK }

    @BeforeEach
    void appSettings() {
        savedSelector = ProxySelector.getDefault();
        PROPERTIES.forEach(key -> saved.put(key, System.getProperty(key)));
        // what an app may have set itself: one value present, the others absent
        System.setProperty("http.nonProxyHosts", "*.internal");
        System.clearProperty("socksProxyHost");
        System.clearProperty("socksProxyPort");
        System.clearProperty("socksNonProxyHosts");
    }

    @AfterEach
    void restoreSettings() {
        ProxySelector.setDefault(savedSelector);
        saved.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
        Hooks.uninstall();
    }

    @ParameterizedTest(name = "{0} fails, include-loopback={1}")
    @CsvSource({"HOOKS, false", "PROXY_SETTINGS, false", "PROXY_SETTINGS, true", "SHUTDOWN_HOOK, false",
        "SHUTDOWN_HOOK, true"})
    void aFailedStepLeavesTheJvmAsItWas(Step failing, boolean includeLoopback) throws IOException {
        AgentOptions options = AgentOptions.parse("include-loopback=" + includeLoopback);
        Reporter reporter = new Reporter(null);
        CallerRegistry registry = new CallerRegistry(reporter, AccessRules.of(options.allow(), options.deny()));
        Socks5Server server = Socks5Server.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0)
                .build().start();
        StartupRollback rollback = new StartupRollback();
        rollback.onFailure(server::close);
        ProxySelector before = ProxySelector.getDefault();

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Agent.activate(server,
                reporter, null, registry, options, new FailingAt(failing), rollback));

        assertEquals("injected: " + failing + " failed", thrown.getMessage());
        assertSame(before, ProxySelector.getDefault(), "the app's ProxySelector is the default again");
        assertNull(System.getProperty("socksProxyHost"));
        assertNull(System.getProperty("socksProxyPort"));
        assertNull(System.getProperty("socksNonProxyHosts"));
        assertEquals("*.internal", System.getProperty("http.nonProxyHosts"));
        assertNull(Hooks.socketConnectEnter(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), 0),
                "the socket hooks record nothing");
        assertFalse(AgentEvents.isRunning());
        try (Socket socket = new Socket(Proxy.NO_PROXY)) {
            assertThrows(ConnectException.class, () -> socket.connect(server.address(), 10_000),
                    "the proxy no longer listens");
        }
    }

    /** The real steps, except that {@code failing} throws after it took effect (the worst case). */
    private static final class FailingAt implements JvmChanges {
        private final Step failing;

        FailingAt(Step failing) {
            this.failing = failing;
        }

        @Override
        public void installHooks(ConnectObserver observer, List<String> callerExclude) {
            REAL.installHooks(observer, callerExclude);
            failIf(Step.HOOKS);
        }

        @Override
        public void pointProxySettings(JvmProxySettings settings) {
            REAL.pointProxySettings(settings);
            failIf(Step.PROXY_SETTINGS);
        }

        @Override
        public void addShutdownHook(Thread hook) {
            // as Runtime.addShutdownHook does when attached to a JVM that is exiting (never registered here)
            failIf(Step.SHUTDOWN_HOOK);
        }

        private void failIf(Step step) {
            if (step == failing) {
                throw new IllegalStateException("injected: " + step + " failed");
            }
        }
    }
}
