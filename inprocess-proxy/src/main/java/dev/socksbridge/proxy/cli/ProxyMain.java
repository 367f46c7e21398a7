package dev.socksbridge.proxy.cli;

import dev.socksbridge.proxy.Credentials;
import dev.socksbridge.proxy.EventFormat;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.Faults;
import dev.socksbridge.proxy.route.Route;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar socksbridge-proxy.jar [options]}: runs the server until SIGINT/SIGTERM. Prints
 * {@code socksbridge-proxy listening on HOST:PORT} on stdout once bound; logs sessions to stderr.
 * Exit codes: 0 (help), 130/143 (the JVM's codes for a clean stop on SIGINT/SIGTERM), 1 (cannot listen,
 * e.g. port in use), 2 (bad options).
 */
public final class ProxyMain {

    private ProxyMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        choosePollerMode();
        ProxyOptions options;
        try {
            options = ProxyOptions.parse(args);
        } catch (UsageException e) {
            System.err.println("socksbridge-proxy: " + e.getMessage());
            System.err.println("Try --help for usage.");
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(ProxyOptions.USAGE);
            return;
        }
        Socks5Server server;
        try {
            server = build(options).start();
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("socksbridge-proxy: cannot listen on "
                    + EventFormat.address(new InetSocketAddress(options.bind(), options.port())) + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        for (Route route : options.routeTable().routes()) {
            System.err.println("socksbridge-proxy: route " + route); // never a password
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "socksbridge-shutdown"));
        PrintStream out = System.out;
        out.println("socksbridge-proxy listening on " + EventFormat.address(server.address()));
        out.flush();
        new CountDownLatch(1).await(); // the shutdown hook ends the process
    }

    /**
     * The JDK's poller for virtual threads blocked on sockets: platform poller threads that wake the blocked
     * thread directly ({@code jdk.pollerMode=1}) unless the command line chose a mode. JDK 22+ on Linux
     * defaults to mode 2, where each wake-up passes through a master poller and a virtual sub-poller first:
     * one more hand-off per blocking read, which a one-client connection loop pays in full
     * (docs/benchmarks.md). Read once, when the first virtual thread waits on a socket: set before the
     * server starts. This is the CLI's own JVM; the library and the agent leave the JVM's choice alone.
     */
    static void choosePollerMode() {
        if (System.getProperty("jdk.pollerMode") == null) {
            System.setProperty("jdk.pollerMode", "1");
        }
    }

    static Socks5Server build(ProxyOptions options) {
        Socks5Server.Builder builder = Socks5Server.builder()
                .bindAddress(options.bind())
                .port(options.port())
                .handshakeTimeout(options.handshakeTimeout())
                .connectTimeout(options.connectTimeout())
                .idleTimeout(options.idleTimeout())
                .bindTimeout(options.bindTimeout())
                .maxSessions(options.maxSessions())
                .router(options.routeTable())
                .faults(new Faults(options.faults()));
        if (options.user() != null) {
            builder.credentials(Credentials.of(options.user(), options.password()));
        }
        return builder.build();
    }
}
