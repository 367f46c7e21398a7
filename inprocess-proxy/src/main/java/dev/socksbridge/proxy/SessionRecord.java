package dev.socksbridge.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * What a session's {@link ConnectionEvent}s say, gathered as the session learns it: who asked for what,
 * what was reached, the reply sent, the outcome with its first failure, and the relays whose counters
 * are read when an event is built.
 *
 * <p>Written by the session thread before the second relay thread starts (Thread.start orders them),
 * read by whichever thread finishes the session (ordered by its count of running halves). {@code up},
 * {@code failure} and {@code policy} are also written from other threads, hence volatile.
 */
final class SessionRecord {

    private static final AtomicReferenceFieldUpdater<SessionRecord, String> FAILURE =
            AtomicReferenceFieldUpdater.newUpdater(SessionRecord.class, String.class, "failure");

    private final long id;
    private final InetSocketAddress clientAddress;
    private final Instant start = Instant.now();
    private final long startNanos = System.nanoTime();

    private Protocol protocol = Protocol.SOCKS5;
    private Command command;
    private Destination destination;
    private InetSocketAddress reached;
    private Outcome outcome = Outcome.FAILED;
    private int replyCode = -1;
    private Duration connectTime;
    private String user;
    private String via;
    private volatile Pump up; // set by a BIND's client-side thread once its peer connected
    private Pump down;
    private UdpRelay udp;
    private volatile String failure;
    private volatile FaultSession faults;
    private volatile ConnectionPolicy.Decision policy;

    SessionRecord(long id, InetSocketAddress clientAddress) {
        this.id = id;
        this.clientAddress = clientAddress;
    }

    long id() {
        return id;
    }

    InetSocketAddress clientAddress() {
        return clientAddress;
    }

    /** {@link System#nanoTime} at accept: the handshake deadline and the duration count from it. */
    long startNanos() {
        return startNanos;
    }

    /** The first failure reason recorded (an abort's included), or null. */
    String failure() {
        return failure;
    }

    /** The handshake's protocol; the request may still refine it (SOCKS4 vs SOCKS4a). */
    void protocol(Protocol handshakeProtocol) {
        protocol = handshakeProtocol;
    }

    /** Takes what the handshake produced; returns the request context the policy and the dialer see. */
    ConnectionRequest negotiated(Negotiated negotiated, Object tag) {
        command = negotiated.command();
        destination = negotiated.destination();
        protocol = negotiated.protocol();
        user = negotiated.user();
        return new ConnectionRequest(id, clientAddress, protocol, command, destination, user,
                negotiated.authenticated(), tag);
    }

    void connectTime(Duration time) {
        connectTime = time;
    }

    /** The route the dial took ({@link RouteAction#via()}). */
    void via(String route) {
        via = route;
    }

    void reached(InetSocketAddress address) {
        reached = address;
    }

    /** Set after {@link #setDown} (the volatile write publishes both to {@link #relayEnded}). */
    void setUp(Pump pump) {
        up = pump;
    }

    void setDown(Pump pump) {
        down = pump;
    }

    /**
     * Whether both relay directions reached their end of stream: the session is over but for its threads
     * returning, and a close arriving now (the server's) is not its outcome.
     */
    boolean relayEnded() {
        Pump upward = up; // read first: its volatile write came after down's
        Pump downward = down;
        return upward != null && downward != null && upward.ended() && downward.ended();
    }

    /** The connection's fault hook; its touched types become the events' {@code faults}. */
    void faults(FaultSession session) {
        faults = session;
    }

    FaultSession faults() {
        return faults;
    }

    void setUdp(UdpRelay relay) {
        udp = relay;
    }

    /**
     * The policy's decision on the request, or on one of a UDP association's datagrams: the last one that
     * was not "allowed" is the one the events report.
     */
    void policy(ConnectionPolicy.Decision decision) {
        if (policy == null || decision.verdict() != ConnectionEvent.Verdict.ALLOWED) {
            policy = decision;
        }
    }

    /** The client was told its request succeeded, with {@code code} in its protocol. */
    void succeeded(int code) {
        replyCode = code;
        outcome = Outcome.OK;
    }

    /** The client was refused with {@code code} in its protocol (-1: no reply was sent). */
    void refused(int code, Outcome how, String reason) {
        replyCode = code;
        end(how, reason);
    }

    void end(Outcome how, String reason) {
        outcome = how;
        noteFailure(reason);
    }

    /**
     * Keeps the first reason: the cause, not the errors that closing everything caused after it. Atomic,
     * as threads of the session may fail at once.
     */
    void noteFailure(String reason) {
        FAILURE.compareAndSet(this, null, reason);
    }

    ConnectionEvent openEvent() {
        return snapshot(Outcome.OPEN);
    }

    ConnectionEvent closeEvent() {
        return snapshot(outcome);
    }

    private ConnectionEvent snapshot(Outcome how) {
        boolean open = how == Outcome.OPEN;
        Pump upward = up;
        UdpRelay datagrams = udp;
        long bytesUp = upward != null ? upward.bytes() : datagrams != null ? datagrams.bytesUp() : 0;
        long bytesDown = down != null ? down.bytes() : datagrams != null ? datagrams.bytesDown() : 0;
        ConnectionPolicy.Decision decision = open ? null : policy;
        return ConnectionEvent.builder().id(id).start(start).protocol(protocol).command(command)
                .client(clientAddress).destination(destination).reached(reached).outcome(how)
                .replyCode(replyCode < 0 ? null : replyCode).bytesUp(bytesUp).bytesDown(bytesDown)
                .connectTime(connectTime).duration(open ? null : Duration.ofNanos(System.nanoTime() - startNanos))
                .failure(open ? null : decision == null ? failure : decision.explain(failure))
                .policy(decision == null ? null : decision.verdict()).user(user)
                .datagrams(datagrams == null ? 0 : datagrams.datagramsUp(),
                        datagrams == null ? 0 : datagrams.datagramsDown(),
                        datagrams == null ? 0 : datagrams.datagramsDropped())
                .via(via).faults(faults == null ? List.of() : faults.touched()).build();
    }
}
