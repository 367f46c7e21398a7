package dev.socksbridge.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One connection as socksbridge saw it: the snapshot a {@link ConnectionListener} gets when a session opens
 * and when it closes, and, filled in further by the agent, what its log line, {@code events=} file, exit
 * summary and the JUnit extension read. Made with {@link #builder} (or {@link #toBuilder}, to add to one), not
 * with the canonical constructor, which grows with every field; {@code null} means "absent", never a
 * placeholder. {@link EventJson} names its JSON keys.
 *
 * @param id            unique per server, increasing; the agent renumbers finished connections in the order they
 *                      finish (its open event, sent before that, carries the session id)
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
 * @param policy        the {@link ConnectionPolicy}'s verdict (a UDP association's: the last one not "allowed");
 *                      {@code null} when no policy was asked (yet); its reason is in {@code failure}
 * @param caller        the application frame that connected; {@code null} when unknown or not tagged
 * @param thread        the connecting thread's name; {@code null} when not tagged (an external client)
 * @param virtualThread whether that thread was a virtual thread
 * @param via           the route a CONNECT took: {@code direct}, {@code block}, a stand-in's {@code host:port},
 *                      or the upstream hops separated by spaces (never a password); {@code null} when no
 *                      route was decided (BIND, UDP ASSOCIATE, a session that failed before dialing)
 * @param faults        the fault types that acted on the connection ({@code latency}, {@code reset_peer}, ...;
 *                      see {@link Fault}), in a fixed order; empty if none
 * @param appCaller     the first frame in the app's own packages (agent {@code app-packages=}), as
 *                      {@code com.acme.Repo.load(Repo.java:41)}; {@code null} when none was on the stack
 * @param stack         the first frames outside the JDK, innermost first, in the same form (agent
 *                      {@code stack-depth=}); empty when not asked for
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
        boolean virtualThread,
        String via,
        List<String> faults,
        String appCaller,
        List<String> stack) {

    /** Whether socksbridge's proxy carried the connection. */
    public enum Route {
        PROXY, DIRECT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the policy said: {@code allowed}, {@code would-deny} (the agent's monitor mode) or {@code denied}. */
    public enum Verdict {
        ALLOWED, WOULD_DENY, DENIED;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
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
        faults = faults == null ? List.of() : List.copyOf(faults);
        stack = stack == null ? List.of() : List.copyOf(stack);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().id(id).session(session).route(route).protocol(protocol).command(command).client(client)
                .destination(destination).lookup(lookup).reached(reached).outcome(outcome).replyCode(replyCode)
                .bytesUp(bytesUp).bytesDown(bytesDown).start(start).connectTime(connectTime).duration(duration)
                .failure(failure).user(user).datagrams(datagramsUp, datagramsDown, datagramsDropped).policy(policy)
                .caller(caller).thread(thread).virtualThread(virtualThread).via(via).faults(faults)
                .appCaller(appCaller).stack(stack);
    }

    public boolean isClosed() {
        return outcome != Outcome.OPEN;
    }

    /** Sets what it knows, one field per line; {@link #build} checks that route, outcome and start are there. */
    public static final class Builder {
        private long id; public Builder id(long v) { id = v; return this; }
        private Long session; public Builder session(Long v) { session = v; return this; }
        private Route route = Route.PROXY; public Builder route(Route v) { route = v; return this; }
        private Protocol protocol; public Builder protocol(Protocol v) { protocol = v; return this; }
        private Command command; public Builder command(Command v) { command = v; return this; }
        private InetSocketAddress client; public Builder client(InetSocketAddress v) { client = v; return this; }
        private Destination destination; public Builder destination(Destination v) { destination = v; return this; }
        private Lookup lookup; public Builder lookup(Lookup v) { lookup = v; return this; }
        private InetSocketAddress reached; public Builder reached(InetSocketAddress v) { reached = v; return this; }
        private Outcome outcome = Outcome.OPEN; public Builder outcome(Outcome v) { outcome = v; return this; }
        private Integer replyCode; public Builder replyCode(Integer v) { replyCode = v; return this; }
        private Long bytesUp = 0L; public Builder bytesUp(Long v) { bytesUp = v; return this; }
        private Long bytesDown = 0L; public Builder bytesDown(Long v) { bytesDown = v; return this; }
        private Instant start; public Builder start(Instant v) { start = v; return this; }
        private Duration connectTime; public Builder connectTime(Duration v) { connectTime = v; return this; }
        private Duration duration; public Builder duration(Duration v) { duration = v; return this; }
        private String failure; public Builder failure(String v) { failure = v; return this; }
        private String user; public Builder user(String v) { user = v; return this; }
        private long datagramsUp, datagramsDown, datagramsDropped; // set together by datagrams(...)
        private Verdict policy; public Builder policy(Verdict v) { policy = v; return this; }
        private Frame caller; public Builder caller(Frame v) { caller = v; return this; }
        private String thread; public Builder thread(String v) { thread = v; return this; }
        private boolean virtualThread; public Builder virtualThread(boolean v) { virtualThread = v; return this; }
        private String via; public Builder via(String v) { via = v; return this; }
        private List<String> faults = List.of(); public Builder faults(List<String> v) { faults = v; return this; }
        private String appCaller; public Builder appCaller(String v) { appCaller = v; return this; }
        private List<String> stack = List.of(); public Builder stack(List<String> v) { stack = v; return this; }

        private Builder() {
        }

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
                    datagramsDown, datagramsDropped, policy, caller, thread, virtualThread, via, faults, appCaller,
                    stack);
        }
    }
}
