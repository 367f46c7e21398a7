package dev.socksbridge.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One connection as socksbridge saw it: the snapshot a {@link ConnectionListener} gets when a session opens
 * and when it closes, and, filled in further by the agent, what its log line, {@code events=} file, exit
 * summary and the JUnit extension read. Made with {@link #builder} (or {@link #toBuilder}); {@code null}
 * means "absent", never a placeholder. {@link EventJson} names its JSON keys.
 *
 * @param id            unique per server (per agent once the agent numbered it), increasing
 * @param session       the proxy session id when the agent renumbered a proxied connection, else {@code null}
 * @param route         {@link Route#PROXY}, or {@link Route#DIRECT} for a connection the agent saw but did not carry
 * @param protocol      the wire protocol the client spoke ({@code TCP}, {@code DNS}, {@code UDP}: agent only)
 * @param command       what it asked for; {@code null} when the session failed before a request was read
 * @param client        the client's address (its port identifies the client socket); {@code null} if none
 * @param destination   where the client (for the agent: the app) asked to go; {@code null} before a request was
 *                      read and for a lookup
 * @param lookup        a host name lookup the agent saw, else {@code null}
 * @param reached       the address actually connected to; {@code null} if it never connected
 * @param outcome       {@link Outcome#OPEN} in the open event, how it ended in the close event
 * @param replyCode     the reply code sent to the client in its protocol (SOCKS5 REP, SOCKS4 CD such as 0x5A,
 *                      or the HTTP status); {@code null} if none was sent
 * @param bytesUp       bytes relayed client to target; {@code null} when nothing counted them (agent, direct)
 * @param bytesDown     bytes relayed target to client; {@code null} when nothing counted them
 * @param start         when the client connection was accepted (for the agent: when the app called connect)
 * @param connectTime   how long the outbound connect took; {@code null} if it never connected
 * @param duration      total time; {@code null} in the open event
 * @param failure       a short reason when it failed (never contains credentials), else {@code null}
 * @param user          the user name the client gave (RFC 1929, SOCKS4 USERID, HTTP Basic), never a
 *                      password; {@code null} if none
 * @param datagramsUp   UDP ASSOCIATE: datagrams relayed client to target ({@code bytesUp} counts their data)
 * @param datagramsDown UDP ASSOCIATE: datagrams relayed target to client ({@code bytesDown} counts their data)
 * @param datagramsDropped UDP ASSOCIATE: datagrams not relayed (fragments, denied by the policy, malformed,
 *                      unresolvable destination, or from an address that is not the client's)
 * @param policy        the agent's verdict; {@code null} when no agent policy looked at it (yet)
 * @param caller        the application frame that connected; {@code null} when unknown or not tagged
 * @param thread        the connecting thread's name; {@code null} when not tagged (an external client)
 * @param virtualThread whether that thread was a virtual thread
 */
public record ConnectionEvent(
        long id,
        Long session,
        Route route,
        Protocol protocol,
        Command command,
        InetSocketAddress client,
        Destination destination,
        Lookup lookup,
        InetSocketAddress reached,
        Outcome outcome,
        Integer replyCode,
        Long bytesUp,
        Long bytesDown,
        Instant start,
        Duration connectTime,
        Duration duration,
        String failure,
        String user,
        long datagramsUp,
        long datagramsDown,
        long datagramsDropped,
        Verdict policy,
        Frame caller,
        String thread,
        boolean virtualThread) {

    /** Whether socksbridge's proxy carried the connection. */
    public enum Route {
        PROXY, DIRECT;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What the agent's policy said: {@code allowed}, {@code would-deny} (monitor mode) or {@code denied}. */
    public enum Verdict {
        ALLOWED("allowed"), WOULD_DENY("would-deny"), DENIED("denied");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A host name lookup: the name asked for and the addresses found ({@code null} when it failed). */
    public record Lookup(String host, List<InetAddress> addresses) {
        public Lookup {
            Objects.requireNonNull(host, "host");
            addresses = addresses == null ? null : List.copyOf(addresses);
        }
    }

    /** A stack frame: class, method, source file ({@code null} if unknown), line ({@code null} if unknown). */
    public record Frame(String className, String methodName, String fileName, Integer line) {
        public Frame {
            Objects.requireNonNull(className, "className");
        }

        /** {@code com.acme.Billing.charge(Billing.java:88)}, the form IDEs turn into a link. */
        @Override
        public String toString() {
            String where = fileName == null ? "Unknown Source" : line != null ? fileName + ":" + line : fileName;
            return className + "." + methodName + "(" + where + ")";
        }
    }

    public ConnectionEvent {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(start, "start");
    }

    public static Builder builder(long id, Instant start) {
        return new Builder().id(id).start(start);
    }

    public Builder toBuilder() {
        return new Builder().id(id).session(session).route(route).protocol(protocol).command(command).client(client)
                .destination(destination).lookup(lookup).reached(reached).outcome(outcome).replyCode(replyCode)
                .bytesUp(bytesUp).bytesDown(bytesDown).start(start).connectTime(connectTime).duration(duration)
                .failure(failure).user(user).datagrams(datagramsUp, datagramsDown, datagramsDropped).policy(policy)
                .caller(caller).thread(thread).virtualThread(virtualThread);
    }

    public boolean isClosed() {
        return outcome != Outcome.OPEN;
    }

    /** Sets what it knows; {@link #build} checks that route, outcome and start are there. */
    public static final class Builder {
        private long id;
        private Long session;
        private Route route = Route.PROXY;
        private Protocol protocol;
        private Command command;
        private InetSocketAddress client;
        private Destination destination;
        private Lookup lookup;
        private InetSocketAddress reached;
        private Outcome outcome = Outcome.OPEN;
        private Integer replyCode;
        private Long bytesUp = 0L;
        private Long bytesDown = 0L;
        private Instant start;
        private Duration connectTime;
        private Duration duration;
        private String failure;
        private String user;
        private long datagramsUp;
        private long datagramsDown;
        private long datagramsDropped;
        private Verdict policy;
        private Frame caller;
        private String thread;
        private boolean virtualThread;

        private Builder() {
        }

        public Builder id(long value) { id = value; return this; }
        public Builder session(Long value) { session = value; return this; }
        public Builder route(Route value) { route = value; return this; }
        public Builder protocol(Protocol value) { protocol = value; return this; }
        public Builder command(Command value) { command = value; return this; }
        public Builder client(InetSocketAddress value) { client = value; return this; }
        public Builder destination(Destination value) { destination = value; return this; }
        public Builder lookup(Lookup value) { lookup = value; return this; }
        public Builder reached(InetSocketAddress value) { reached = value; return this; }
        public Builder outcome(Outcome value) { outcome = value; return this; }
        public Builder replyCode(Integer value) { replyCode = value; return this; }
        public Builder bytesUp(Long value) { bytesUp = value; return this; }
        public Builder bytesDown(Long value) { bytesDown = value; return this; }
        public Builder start(Instant value) { start = value; return this; }
        public Builder connectTime(Duration value) { connectTime = value; return this; }
        public Builder duration(Duration value) { duration = value; return this; }
        public Builder failure(String value) { failure = value; return this; }
        public Builder user(String value) { user = value; return this; }
        public Builder policy(Verdict value) { policy = value; return this; }
        public Builder caller(Frame value) { caller = value; return this; }
        public Builder thread(String value) { thread = value; return this; }
        public Builder virtualThread(boolean value) { virtualThread = value; return this; }

        /** UDP ASSOCIATE: datagrams relayed each way and dropped. */
        public Builder datagrams(long up, long down, long dropped) {
            datagramsUp = up;
            datagramsDown = down;
            datagramsDropped = dropped;
            return this;
        }

        public ConnectionEvent build() {
            return new ConnectionEvent(id, session, route, protocol, command, client, destination, lookup, reached,
                    outcome, replyCode, bytesUp, bytesDown, start, connectTime, duration, failure, user, datagramsUp,
                    datagramsDown, datagramsDropped, policy, caller, thread, virtualThread);
        }
    }
}
