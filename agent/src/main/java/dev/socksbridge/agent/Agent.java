package dev.socksbridge.agent;

import dev.socksbridge.agent.bootstrap.AgentEvents;
import dev.socksbridge.agent.bootstrap.Hooks;
import dev.socksbridge.agent.instrument.SocketInstrumentation;
import dev.socksbridge.agent.report.EventsFile;
import dev.socksbridge.agent.report.LogSink;
import dev.socksbridge.agent.report.Reporter;
import dev.socksbridge.proxy.Dialer;
import dev.socksbridge.proxy.Socks5Server;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The running agent: the in-process proxy, the socket hooks, the JVM's proxy settings pointing at it,
 * and the shutdown hook that closes the proxy and then flushes the log, the events and the summary.
 * Start order matters: the app is pointed at the proxy only once the hooks are in place, because the
 * proxy admits only sockets the hooks registered.
 */
final class Agent {

    private final Socks5Server server;
    private final Reporter reporter;
    private final EventsFile events;
    private final boolean summary;

    private Agent(Socks5Server server, Reporter reporter, EventsFile events, boolean summary) {
        this.server = server;
        this.reporter = reporter;
        this.events = events;
        this.summary = summary;
    }

    static Agent start(AgentOptions options, Instrumentation instrumentation) throws Exception {
        AccessRules rules = AccessRules.of(options.allow(), options.deny());
        LogSink.configure(options.log());
        EventsFile events = options.events() == null ? null : new EventsFile(Path.of(options.events()));
        Reporter reporter = new Reporter(events);
        CallerRegistry registry = new CallerRegistry(reporter, rules);
        Socks5Server server = startServer(options, new AgentPolicy(registry, reporter, rules, options), reporter);
        try {
            registry.proxyAddress(server.address());
            Hooks.install(registry, options.callerExclude());
            SocketInstrumentation.install(instrumentation);
        } catch (Exception | Error e) {
            Hooks.uninstall();
            server.close();
            if (events != null) {
                events.close();
            }
            throw e;
        }
        Agent agent = new Agent(server, reporter, events, options.summary());
        pointJvmAt(server.address(), options.includeLoopback());
        Runtime.getRuntime().addShutdownHook(new Thread(agent::stop, "socksbridge-shutdown"));
        AgentEvents.running(true);
        return agent;
    }

    private static Socks5Server startServer(AgentOptions options, AgentPolicy policy, Reporter reporter)
            throws IOException {
        Socks5Server.Builder builder = Socks5Server.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(options.port())
                .dialer(bypassing(Dialer.direct()))
                .policy(policy)
                .listener(reporter);
        if (pinsVirtualThreadsInSocksConnect()) {
            builder.threadFactory(daemonPlatformThreads());
        }
        if (options.user() != null) {
            builder.credentials(AgentPolicy.credentials(options.user(), options.password()));
        }
        try {
            return builder.build().start();
        } catch (IOException e) {
            throw new IOException("option port=" + options.port() + ": cannot listen on 127.0.0.1 (" + e
                    + "); expected a free port, or 0 for any", e);
        }
    }

    /**
     * JDK 21-23 pin a virtual thread inside the JDK's synchronized SOCKS client connect, so the app's
     * virtual threads waiting for the proxy's reply can hold every carrier; the proxy's sessions then
     * need threads that do not depend on a carrier. JDK 24+ unmount there (JEP 491); 17 has no virtual threads.
     */
    static boolean pinsVirtualThreadsInSocksConnect() {
        int feature = Runtime.version().feature();
        return feature >= 21 && feature <= 23;
    }

    private static ThreadFactory daemonPlatformThreads() {
        AtomicLong counter = new AtomicLong();
        return task -> {
            Thread thread = new Thread(task, "socksbridge-session-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The proxy's own outbound sockets are the agent's: never tagged, never proxied into itself. */
    private static Dialer bypassing(Dialer dialer) {
        return (request, timeoutMillis) -> {
            Hooks.beginBypass();
            try {
                return dialer.dial(request, timeoutMillis);
            } finally {
                Hooks.endBypass();
            }
        };
    }

    private static void pointJvmAt(InetSocketAddress proxy, boolean includeLoopback) {
        ProxySelector.setDefault(new AgentProxySelector(ProxySelector.getDefault(), proxy, includeLoopback));
        System.setProperty("socksProxyHost", proxy.getAddress().getHostAddress());
        System.setProperty("socksProxyPort", Integer.toString(proxy.getPort()));
        if (includeLoopback) {
            // Any non-empty value would be appended to the JDK's loopback defaults; only "" clears them.
            System.setProperty("socksNonProxyHosts", "");
            System.setProperty("http.nonProxyHosts", "");
        }
    }

    /** Shutdown: close the proxy (its open sessions report as they end), then flush everything. */
    private void stop() {
        AgentEvents.running(false);
        Hooks.beginBypass();
        try {
            server.close();
        } catch (RuntimeException e) {
            LogSink.warn("closing the proxy failed: " + e);
        }
        Hooks.uninstall();
        if (summary) {
            reporter.printSummary();
        }
        if (events != null) {
            try {
                events.close();
            } catch (IOException e) {
                LogSink.warn("closing the events file failed: " + e);
            }
        }
        LogSink.close();
    }
}
