package dev.socksbridge.agent;

import dev.socksbridge.agent.bootstrap.AgentEvents;
import dev.socksbridge.agent.bootstrap.AgentFaults;
import dev.socksbridge.agent.bootstrap.Hooks;
import dev.socksbridge.agent.instrument.HookCache;
import dev.socksbridge.agent.instrument.SocketInstrumentation;
import dev.socksbridge.agent.inventory.InventoryHook;
import dev.socksbridge.agent.report.EventsFile;
import dev.socksbridge.agent.report.LogSink;
import dev.socksbridge.agent.report.Reporter;
import dev.socksbridge.proxy.ConnectionPolicy;
import dev.socksbridge.proxy.Credentials;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.Fault;
import dev.socksbridge.proxy.Faults;
import dev.socksbridge.proxy.spi.Extensions;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;

/**
 * The running agent: the in-process proxy, the socket hooks, the JVM's proxy settings pointing at it,
 * and the shutdown hook that closes the proxy and then flushes the log, the events and the summary.
 * Start order matters: the app is pointed at the proxy only once the hooks are in place, because the
 * proxy admits only sockets the hooks registered.
 */
final class Agent {

    private final Socks5Server server;
    private final JvmProxySettings jvm;
    private final Reporter reporter;
    private final EventsFile events;
    private final boolean summary;

    private Agent(Socks5Server server, JvmProxySettings jvm, Reporter reporter, EventsFile events, boolean summary) {
        this.server = server;
        this.jvm = jvm;
        this.reporter = reporter;
        this.events = events;
        this.summary = summary;
    }

    /**
     * Starts everything, or, if any step fails, undoes what was done (hooks, proxy settings, the proxy,
     * the files) and rethrows for {@link AgentStarter} to report once.
     */
    static Agent start(AgentOptions options, Instrumentation instrumentation, boolean attached) throws Exception {
        AccessRules rules = AccessRules.of(options.allow(), options.deny());
        StartupRollback rollback = new StartupRollback();
        try {
            rollback.onFailure(new Undo(Undo.Step.LOG, null)); // a log file opened here: the agent is not starting
            AgentOutputs.configureLog(options.log());
            EventsFile events = AgentOutputs.openEvents(options.events());
            rollback.onFailure(new Undo(Undo.Step.EVENTS, events));
            AgentOutputs.startInventory(options.learn(), options.learnScope(), options.report());
            rollback.onFailure(new Undo(Undo.Step.INVENTORY, null));
            Reporter reporter = new Reporter(events, options.summary());
            CallerRegistry registry = new CallerRegistry(reporter, rules);
            ConnectionPolicy policy = new AgentPolicy(rules, options);
            // The proxy starts on a helper thread while this one rewrites the socket classes, so the two
            // biggest start-up costs overlap; the classes are linked first (see linkTargets). The hooks
            // stay inert until activate.
            List<Class<?>> targets = SocketInstrumentation.linkTargets();
            FutureTask<Socks5Server> serverStart =
                    new FutureTask<>(new ServerStart(options, policy, reporter, registry));
            Thread starter = new Thread(serverStart, "socksbridge-start");
            starter.setDaemon(true);
            starter.start();
            rollback.onFailure(new Undo(Undo.Step.SERVER, serverStart)); // waits for the start it undoes
            SocketInstrumentation.Installed hooks =
                    SocketInstrumentation.install(instrumentation, targets, attached, hookCache(options));
            rollback.onFailure(new Undo(Undo.Step.HOOKS, hooks));
            Socks5Server server = awaitStarted(serverStart);
            return activate(server, reporter, events, registry, options, JvmChanges.REAL, rollback);
        } catch (Exception | Error e) {
            rollback.undo();
            throw e;
        }
    }

    /**
     * The steps that change the running JVM, once the proxy listens and the classes are hooked; on
     * failure everything in {@code rollback} (these steps and the ones before) is undone, then rethrown.
     */
    static Agent activate(Socks5Server server, Reporter reporter, EventsFile events, CallerRegistry registry,
            AgentOptions options, JvmChanges changes, StartupRollback rollback) throws Exception {
        try {
            InetSocketAddress proxy = literal(server.address());
            registry.proxyAddress(proxy, options.includeLoopback());
            registry.capacity(new ActiveSessions(server), options.maxSessions(),
                    options.mode() == AgentOptions.Mode.ENFORCE);
            rollback.onFailure(new Undo(Undo.Step.OBSERVER, null));
            Hooks.appFrames(options.appPackages().isEmpty() ? AppPackages.ofMainClass() : options.appPackages(),
                    options.stackDepth());
            changes.installHooks(registry, options.callerExclude());
            JvmProxySettings jvm = JvmProxySettings.saving(proxy, options.includeLoopback());
            rollback.onFailure(new Undo(Undo.Step.PROXY_SETTINGS, jvm));
            changes.pointProxySettings(jvm);
            Agent agent = new Agent(server, jvm, reporter, events, options.summary());
            AgentFaults.install(new FaultTable(server.faults()));
            changes.addShutdownHook(new Thread(new Shutdown(agent), "socksbridge-shutdown"));
            AgentEvents.running(true);
            return agent;
        } catch (Exception | Error e) {
            rollback.undo();
            throw e;
        }
    }

    private static HookCache hookCache(AgentOptions options) throws Exception {
        if (options.hookCache() == null) {
            return HookCache.OFF;
        }
        Path jar = Path.of(Agent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return HookCache.under(options.hookCache(), jar);
    }

    /**
     * The proxy's address without a host name: the JDK's SOCKS client builds a new address from the
     * proxy's host string for every connection, and "localhost" would be one name lookup each time
     * (recorded as the app's, and a cost on every connect).
     */
    private static InetSocketAddress literal(InetSocketAddress address) throws IOException {
        return new InetSocketAddress(InetAddress.getByAddress(address.getAddress().getAddress()), address.getPort());
    }

    private static Socks5Server awaitStarted(FutureTask<Socks5Server> serverStart) throws Exception {
        try {
            return serverStart.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static void closeWhenStarted(FutureTask<Socks5Server> serverStart) {
        try {
            serverStart.get().close();
        } catch (ExecutionException | RuntimeException e) {
            // it never started: nothing to close
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(EventsFile events) {
        if (events != null) {
            try {
                events.close();
            } catch (IOException e) {
                // already failing; the first error is the one reported
            }
        }
    }

    private static Socks5Server startServer(AgentOptions options, ConnectionPolicy policy, Reporter reporter,
            CallerRegistry registry) throws IOException {
        Faults faults = new Faults(options.faults());
        faults.alsoMatch(reporter.namedHosts()); // *.example.com matches what the app named
        Socks5Server.Builder builder = Socks5Server.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(options.port())
                .maxSessions(options.maxSessions())
                .extensions(Extensions.NONE
                        .withTaskDecorator(AgentThreads.SESSIONS) // the default Dialer connects with Proxy.NO_PROXY
                        .withTransparentRoutes(registry)
                        .withTagger(registry)
                        // the JDK's own SOCKS client sends user.name and no password: admitted unauthenticated,
                        // then by the policy only with their caller's tag
                        .withPasswordlessLogins(true))
                .policy(policy)
                .listener(reporter)
                .router(new AgentRouter(options.routeTable()))
                .faults(faults);
        if (pinsVirtualThreadsInSocksConnect()) {
            builder.threadFactory(daemonPlatformThreads());
        }
        if (options.user() != null) {
            builder.credentials(Credentials.of(options.user(), options.password()));
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

    /**
     * The proxy's session threads are the agent's: what they dial, send and resolve on a client's behalf
     * (its outbound sockets, a UDP association's datagrams) is never tagged, reported as the app's or
     * proxied into itself.
     */
    private enum AgentThreads implements UnaryOperator<Runnable> {
        SESSIONS;

        @Override
        public Runnable apply(Runnable task) {
            return new Bypassed(task);
        }
    }

    /** A task run as the agent's own (see {@link AgentThreads}). */
    private record Bypassed(Runnable task) implements Runnable {
        @Override
        public void run() {
            Hooks.beginBypass();
            try {
                task.run();
            } finally {
                Hooks.endBypass();
            }
        }
    }

    /*
     * The small classes below stand where lambdas would: the agent starts before the app's main, and
     * every lambda made then is a class the JVM spins at run time (about 1 ms each on JDK 25, a tenth of
     * the agent's start-up for the thirty it made; docs/benchmarks-agent.md).
     */

    /** One start-up step to undo. */
    private record Undo(Step step, Object done) implements Runnable {
        enum Step { LOG, EVENTS, INVENTORY, SERVER, HOOKS, OBSERVER, PROXY_SETTINGS }

        @Override
        @SuppressWarnings("unchecked")
        public void run() {
            switch (step) {
                case LOG -> LogSink.close();
                case EVENTS -> closeQuietly((EventsFile) done);
                case INVENTORY -> InventoryHook.reset();
                case SERVER -> closeWhenStarted((FutureTask<Socks5Server>) done);
                case HOOKS -> ((SocketInstrumentation.Installed) done).remove();
                case OBSERVER -> Hooks.uninstall();
                case PROXY_SETTINGS -> ((JvmProxySettings) done).restore();
                default -> throw new IllegalStateException(step.name());
            }
        }
    }

    /** Starts the proxy on the helper thread. */
    private record ServerStart(AgentOptions options, ConnectionPolicy policy, Reporter reporter,
            CallerRegistry registry) implements Callable<Socks5Server> {
        @Override
        public Socks5Server call() throws IOException {
            return startServer(options, policy, reporter, registry);
        }
    }

    private record ActiveSessions(Socks5Server server) implements IntSupplier {
        @Override
        public int getAsInt() {
            return server.activeSessions();
        }
    }

    /** The fault table the JUnit extension reaches through {@link AgentFaults}. */
    private record FaultTable(Faults faults) implements AgentFaults.Table {
        @Override
        public Object add(String spec) {
            return faults.add(spec);
        }

        @Override
        public boolean remove(Object token) {
            return token instanceof Fault fault && faults.remove(fault);
        }
    }

    private record Shutdown(Agent agent) implements Runnable {
        @Override
        public void run() {
            agent.stop();
        }
    }

    /**
     * A second attach with new options: the fault set is replaced as a whole (the running connections see
     * the new set from their next chunk); every other option stays as the first start set it.
     */
    void replaceFaults(List<Fault> faults) {
        server.faults().replaceAll(faults);
    }

    /**
     * Shutdown: send new connections direct again (other shutdown hooks may still connect), close the
     * proxy (its open sessions report as they end), then write the summary and flush everything.
     */
    private void stop() {
        AgentEvents.running(false);
        Hooks.beginBypass();
        jvm.restore();
        try {
            server.close();
        } catch (RuntimeException e) {
            LogSink.warn("closing the proxy failed: " + e);
        }
        Hooks.uninstall();
        reporter.flushDatagrams();
        InventoryHook.finish();
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
