package dev.socksbridge.proxy;

import dev.socksbridge.proxy.spi.Extensions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * A proxy server on one port for SOCKS5 (RFC 1928: CONNECT, BIND, UDP ASSOCIATE; RFC 1929 authentication),
 * SOCKS4/4a (CONNECT, BIND) and HTTP CONNECT, told apart by the client's first byte; blocking sockets and one virtual thread per
 * relay direction where the JVM has virtual threads (21+), pooled daemon platform threads otherwise.
 *
 * <pre>{@code
 * try (Socks5Server server = Socks5Server.builder().port(0).build().start()) {
 *     InetSocketAddress address = server.address();
 *     ...
 * }
 * }</pre>
 */
public final class Socks5Server implements AutoCloseable {

    private final Settings settings;
    private final ProxyEngine engine;
    private volatile InetSocketAddress address;

    private Socks5Server(Settings settings) {
        this.settings = settings;
        this.engine = new ProxyEngine(settings);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The validated configuration this server was built with. */
    public Settings settings() {
        return settings;
    }

    /**
     * Binds and starts accepting; returns once the listening socket is bound.
     *
     * @throws IllegalStateException if called twice
     */
    public Socks5Server start() throws IOException {
        address = engine.start();
        return this;
    }

    /**
     * The bound address (with the actual port when port 0 was asked for).
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public InetSocketAddress address() {
        InetSocketAddress bound = address;
        if (bound == null) {
            throw new IllegalStateException("address: the server is not started (call start() first)");
        }
        return bound;
    }

    /** The fault table in force: add and remove faults while the server runs. */
    public Faults faults() {
        return settings.faults();
    }

    /** Sessions currently open (handshaking or relaying). */
    public int activeSessions() {
        return engine.activeSessions();
    }

    /**
     * Stops accepting, closes every live session and returns when all of the server's threads are gone
     * (waiting at most about 10 s for threads stuck in a dialer or listener). Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }

    /** Everything a server needs, validated once by {@link Builder#build()}. */
    public record Settings(
            InetAddress bindAddress,
            int port,
            Credentials credentials,
            Duration handshakeTimeout,
            Duration connectTimeout,
            Duration idleTimeout,
            int maxSessions,
            int bufferSize,
            Dialer dialer,
            ConnectionPolicy policy,
            List<ConnectionListener> listeners,
            ThreadFactory threadFactory,
            Duration bindTimeout,
            Extensions extensions,
            Router router,
            Faults faults) {
    }

    /** Collects settings; {@link #build()} validates them and names the setting at fault. */
    public static final class Builder {
        private static final Duration ONE_MILLI = Duration.ofMillis(1);
        private static final Duration MAX_MILLIS = Duration.ofMillis(Integer.MAX_VALUE);

        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port = 0;
        private Credentials credentials;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ZERO;
        private Duration bindTimeout = Duration.ofSeconds(60);
        private int maxSessions = 16_384;
        private int bufferSize = 64 * 1024;
        private Dialer dialer = Dialer.direct();
        /** Unset (null) until given: a default is made only when needed (an agent gives every one of these). */
        private ConnectionPolicy policy;
        private final List<ConnectionListener> listeners = new ArrayList<>();
        private ThreadFactory threadFactory;
        private Extensions extensions = Extensions.NONE;
        private Router router;
        private Faults faults;
        private final List<Fault> faultSpecs = new ArrayList<>();

        private Builder() {
        }

        /** Default: the loopback address. */
        public Builder bindAddress(InetAddress bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /** 0 (the default) picks an ephemeral port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** RFC 1929 username/password; {@code null} (the default) means no authentication. */
        public Builder credentials(Credentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Time allowed from accept until the request is read. Default 10 s. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Objects.requireNonNull(timeout, "handshakeTimeout");
            return this;
        }

        /** Time allowed for the outbound connect. Default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
            return this;
        }

        /** Close a relay that moved no byte in either direction for this long; zero (default) disables. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout, "idleTimeout");
            return this;
        }

        /** How long a BIND waits for its peer to connect before answering a failure. Default 60 s. */
        public Builder bindTimeout(Duration timeout) {
            this.bindTimeout = Objects.requireNonNull(timeout, "bindTimeout");
            return this;
        }

        /** Sessions beyond this many are refused at accept. Default 16384. */
        public Builder maxSessions(int maxSessions) {
            this.maxSessions = maxSessions;
            return this;
        }

        /** Largest relay buffer per direction, in bytes. Default 64 KiB. */
        public Builder bufferSize(int bufferSize) {
            this.bufferSize = bufferSize;
            return this;
        }

        public Builder dialer(Dialer dialer) {
            this.dialer = Objects.requireNonNull(dialer, "dialer");
            return this;
        }

        public Builder policy(ConnectionPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder listener(ConnectionListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Where session and relay threads come from; {@code null} (the default) means virtual threads on
         * 21+ and pooled daemon platform threads otherwise. Threads from a given factory are pooled (idle
         * ones end after 30 s) and should be daemon threads. An in-process agent on JDK 21-23 passes platform
         * threads: there an app's virtual thread stays pinned to its carrier while the JDK's SOCKS client
         * waits for this server's reply, so virtual session threads could find no free carrier.
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = threadFactory;
            return this;
        }

        /**
         * The hooks of an in-process agent (transparent routes, the session tagger, the task decorator,
         * passwordless logins); see {@link Extensions}. Default: {@link Extensions#NONE}.
         */
        public Builder extensions(Extensions extensions) {
            this.extensions = Objects.requireNonNull(extensions, "extensions");
            return this;
        }

        /**
         * Decides each CONNECT's route: {@code RouteTable.parse("route", List.of("PATTERN->ACTION", ...))} (package
         * {@code dev.socksbridge.proxy.route}: first match wins, unmatched destinations go direct), or one that
         * changes at run time; the {@link #dialer} still makes the first TCP connection of every route. CONNECT only.
         */
        public Builder router(Router router) {
            this.router = Objects.requireNonNull(router, "router");
            return this;
        }

        /**
         * The fault table the server consults on every connect and relayed chunk (see {@link Fault} for the
         * textual form); it stays changeable while the server runs ({@link Socks5Server#faults()}). Default:
         * a new, empty table.
         */
        public Builder faults(Faults table) {
            this.faults = Objects.requireNonNull(table, "faults");
            return this;
        }

        /**
         * Adds one fault, e.g. {@code "*.example.com:443->latency latency=200 jitter=50 direction=down"};
         * repeatable.
         *
         * @throws IllegalArgumentException naming the spec and what was expected
         */
        public Builder fault(String spec) {
            faultSpecs.add(Fault.parse(spec));
            return this;
        }

        public Socks5Server build() {
            requireRange("port", port, 0, 65535);
            requireRange("maxSessions", maxSessions, 1, 1_000_000);
            requireRange("bufferSize", bufferSize, 1024, 16 * 1024 * 1024);
            requirePositive("handshakeTimeout", handshakeTimeout);
            requirePositive("connectTimeout", connectTimeout);
            requireMillisRange("idleTimeout", idleTimeout);
            requirePositive("bindTimeout", bindTimeout);
            return new Socks5Server(new Settings(bindAddress, port, credentials, handshakeTimeout,
                    connectTimeout, idleTimeout, maxSessions, bufferSize, dialer,
                    policy != null ? policy : ConnectionPolicy.allowAll(), List.copyOf(listeners),
                    threadFactory, bindTimeout, extensions, router != null ? router : Router.direct(), faultTable()));
        }

        private Faults faultTable() {
            Faults table = faults != null ? faults : new Faults();
            for (Fault fault : faultSpecs) {
                table.add(fault);
            }
            return table;
        }

        private static void requireRange(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: " + min + "-" + max + ")");
            }
        }

        /** Socket timeouts are whole milliseconds and 0 means "forever", so a sub-millisecond value is refused. */
        private static void requirePositive(String name, Duration value) {
            requirePositive(name, value, " (expected: 1 ms to " + Integer.MAX_VALUE + " ms)");
        }

        private static void requireMillisRange(String name, Duration value) {
            if (!value.isZero()) {
                requirePositive(name, value, " (expected: 0 (off) or 1 ms to " + Integer.MAX_VALUE + " ms)");
            }
        }

        private static void requirePositive(String name, Duration value, String expected) {
            if (value.compareTo(ONE_MILLI) < 0 || value.compareTo(MAX_MILLIS) > 0) {
                throw new IllegalArgumentException(name + ": " + value + expected);
            }
        }
    }
}
