package dev.socksbridge.agent.report;

import dev.socksbridge.agent.bootstrap.AgentEvents;
import dev.socksbridge.agent.bootstrap.CallerTag;
import dev.socksbridge.proxy.Command;
import dev.socksbridge.agent.inventory.InventoryHook;
import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.ConnectionEvent.Frame;
import dev.socksbridge.proxy.ConnectionEvent.Lookup;
import dev.socksbridge.proxy.ConnectionEvent.Route;
import dev.socksbridge.proxy.ConnectionEvent.Verdict;
import dev.socksbridge.proxy.ConnectionListener;
import dev.socksbridge.proxy.ConnectionPolicy.Decision;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.EventJson;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Protocol;
import dev.socksbridge.proxy.ReplyCodes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the proxy and the advice saw into finished {@link ConnectionEvent}s and sends each to the log line,
 * the events file and the exit summary. The proxy's sessions are joined to their caller tag by session id
 * (the policy stores the tag it found by client port).
 */
public final class Reporter implements ConnectionListener {

    /** Looked up on first use, so SLF4J starts on the proxy's start-up thread, not in premain's path. */
    private static final class Log {
        static final Logger CONNECTIONS = LoggerFactory.getLogger(AgentLogger.CONNECTIONS);
    }

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CallerTag> tags = new ConcurrentHashMap<>();
    private final EventsFile events;
    private final boolean summaryOn;
    private final Summary summary = new Summary();
    private final Traffic traffic = new Traffic();

    /** @param events {@code null} without {@code events=} */
    public Reporter(EventsFile events) {
        this(events, true);
    }

    /** @param summaryOn {@code summary=on}: the exit table is kept */
    public Reporter(EventsFile events, boolean summaryOn) {
        this.events = events;
        this.summaryOn = summaryOn;
    }

    /**
     * Whether anything reads a finished connection now: the log line, the summary, the events file, the
     * inventory (learn=, report=, a JFR recording) or an in-JVM subscriber. With none (an agent that only
     * routes or faults, {@code log=off,summary=off}), the hooks skip finding the caller: it is the walk
     * of the stack that costs most on a connection that is not proxied.
     */
    public boolean wantsEvents() {
        return summaryOn || events != null || Log.CONNECTIONS.isInfoEnabled() || InventoryHook.wantsEvents()
                || AgentEvents.hasSubscribers();
    }

    /** Joins a proxy session to the caller that opened it; subscribers get it as an open connection. */
    public void tagSession(long sessionId, CallerTag tag) {
        tags.put(sessionId, tag);
        if (AgentEvents.hasSubscribers()) {
            publish(tagged(ConnectionEvent.builder(), tag).id(sessionId).session(sessionId).command(Command.CONNECT)
                    .destination(named(tag.host(), tag.port())).build());
        }
    }

    /** The host name the app named for a proxy session (it may have sent the proxy only an address), or null. */
    public String namedHost(long sessionId) {
        CallerTag tag = tags.get(sessionId);
        return tag == null ? null : tag.host();
    }

    /** {@link #namedHost} of each request (a class, not a lambda: made before the app's main). */
    public Function<ConnectionRequest, String> namedHosts() {
        return new NamedHosts();
    }

    private final class NamedHosts implements Function<ConnectionRequest, String> {
        @Override
        public String apply(ConnectionRequest request) {
            return namedHost(request.id());
        }
    }

    @Override
    public void onClose(ConnectionEvent e) {
        CallerTag tag = tags.remove(e.id());
        Destination dst = e.destination();
        String host = tag != null ? tag.host() : dst != null ? dst.host() : "-";
        int port = dst != null ? dst.port() : tag != null ? tag.port() : 0;
        ConnectionEvent.Builder record = tag != null ? tagged(e.toBuilder(), tag)
                : e.toBuilder().start(e.start().truncatedTo(ChronoUnit.MILLIS));
        report(record.id(ids.incrementAndGet()).session(e.id()).destination(named(host, port))
                .command(e.command() == null ? Command.CONNECT : e.command())
                .duration(e.duration() == null ? Duration.ZERO : e.duration())
                .policy(e.policy() == null ? Verdict.ALLOWED : e.policy()).build()); // the proxy's decision
    }

    /**
     * A connection the app made without the in-process proxy, with what the policy would have said; for one
     * the agent meant to send through the proxy but could not, {@code notProxied} (else null) says why and is
     * added to the record's {@code failure}.
     */
    public void direct(CallerTag tag, InetSocketAddress endpoint, Throwable failure, long endNanos, Decision policy,
            String notProxied) {
        if (!wantsEvents()) {
            return; // nothing would read it (see wantsEvents)
        }
        String judged = policy.explain(failure == null ? null : failure.getClass().getSimpleName());
        report(finished(tag, Protocol.TCP, Command.CONNECT, failure, endNanos, policy.verdict())
                .destination(named(tag.host(), tag.port())).reached(failure == null ? endpoint : null)
                .failure(notProxied == null ? judged : judged == null ? notProxied : judged + "; " + notProxied)
                .build());
    }

    /**
     * A name lookup the app made: logged, written to the events file ({@code protocol=dns},
     * {@code command=resolve}) and kept for the summary. Not published to {@link AgentEvents} subscribers,
     * which receive connections only.
     */
    public void lookup(CallerTag tag, InetAddress[] addresses, Throwable failure, long endNanos) {
        traffic.lookup(tag.host(), addresses, endNanos - tag.startNanos(), tag.callerText());
        ConnectionEvent record = finished(tag, Protocol.DNS, Command.RESOLVE, failure, endNanos, Verdict.ALLOWED)
                .lookup(new Lookup(tag.host(), addresses == null ? null : List.of(addresses))).build();
        if (Log.CONNECTIONS.isInfoEnabled()) {
            Log.CONNECTIONS.info(LogLine.format(record));
        }
        writeEvent(record);
    }

    /** A datagram sent (or a datagram channel connected: {@code count} 0); totals only, see {@link Traffic}. */
    public void datagram(CallerTag tag, InetSocketAddress target, long bytes, int count) {
        traffic.datagram(tag, target, bytes, count);
    }

    /** At exit: one events-file record per UDP destination and caller, with the totals. */
    public void flushDatagrams() {
        for (Traffic.UdpTotals totals : traffic.udpTotals()) {
            CallerTag tag = totals.firstTag;
            writeEvent(finished(tag, Protocol.UDP, Command.SEND, null, System.nanoTime(), Verdict.ALLOWED)
                    .destination(named(tag.host(), tag.port())).reached(totals.target)
                    .bytesUp(totals.bytes.sum()).build());
        }
    }

    /** What the agent saw itself, without the proxy: numbered, direct, nothing counted but what the caller adds. */
    private ConnectionEvent.Builder finished(CallerTag tag, Protocol protocol, Command command, Throwable failure,
            long endNanos, Verdict verdict) {
        return tagged(ConnectionEvent.builder(), tag).id(ids.incrementAndGet()).route(Route.DIRECT)
                .protocol(protocol).command(command)
                .outcome(outcomeOf(failure)).bytesUp(null).bytesDown(null)
                .duration(Duration.ofMillis(TimeUnit.NANOSECONDS.toMillis(endNanos - tag.startNanos())))
                .policy(verdict).failure(failure == null ? null : failure.getClass().getSimpleName());
    }

    /** The destination as the app named it; {@code -} for an empty name (which {@link Destination} rejects). */
    private static Destination named(String host, int port) {
        return new Destination(host.isEmpty() ? "-" : host, port);
    }

    /** The caller, the thread and the start time the app's connect call was tagged with. */
    static ConnectionEvent.Builder tagged(ConnectionEvent.Builder builder, CallerTag tag) {
        return builder.start(Instant.ofEpochMilli(tag.startMillis())).thread(tag.threadName())
                .virtualThread(tag.virtual()).caller(tag.callerClass() == null ? null : new Frame(tag.callerClass(),
                        tag.callerMethod(), tag.callerFile(), tag.callerLine() < 0 ? null : tag.callerLine()))
                .appCaller(tag.appCaller()).stack(tag.stack());
    }

    private void writeEvent(ConnectionEvent record) {
        InventoryHook.record(record); // JFR events, learn=, report=
        if (events != null) {
            try {
                events.write(record);
            } catch (IOException e) {
                Log.CONNECTIONS.warn("cannot write the events file: {}", e.toString());
            }
        }
    }

    private void report(ConnectionEvent record) {
        if (Log.CONNECTIONS.isInfoEnabled()) {
            Log.CONNECTIONS.info(LogLine.format(record));
        }
        if (summaryOn) {
            summary.add(record);
        }
        writeEvent(record);
        if (AgentEvents.hasSubscribers()) {
            publish(record);
        }
    }

    private static void publish(ConnectionEvent event) {
        try {
            AgentEvents.publish(EventJson.toMap(event));
        } catch (RuntimeException e) {
            Log.CONNECTIONS.warn("an AgentEvents subscriber failed: {}", e.toString());
        }
    }

    public Summary summary() {
        return summary;
    }

    /** The exit table, to the log (standard error or the log file). */
    public void printSummary() {
        for (String line : summary.lines()) {
            LogSink.println(line);
        }
        for (String line : traffic.udpLines()) {
            LogSink.println(line);
        }
        for (String line : traffic.dnsLines(summary)) {
            LogSink.println(line);
        }
    }

    /** By exception type, never by message text: the proxy's one mapping. */
    static Outcome outcomeOf(Throwable failure) {
        return failure == null ? Outcome.OK : ReplyCodes.outcomeOf(failure);
    }
}
