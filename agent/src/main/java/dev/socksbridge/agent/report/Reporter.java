package dev.socksbridge.agent.report;

import dev.socksbridge.agent.bootstrap.AgentEvents;
import dev.socksbridge.agent.bootstrap.CallerTag;
import dev.socksbridge.agent.inventory.InventoryHook;
import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.ConnectionListener;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.EventFormat;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the proxy and the advice saw into {@link ConnectionRecord}s and sends each to the log line,
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
    private final Map<Long, String> verdicts = new ConcurrentHashMap<>();
    private final EventsFile events;
    private final Summary summary = new Summary();
    private final Traffic traffic = new Traffic();

    /** @param events {@code null} without {@code events=} */
    public Reporter(EventsFile events) {
        this.events = events;
    }

    /** Joins a proxy session to the caller that opened it. */
    public void tagSession(long sessionId, CallerTag tag) {
        tags.put(sessionId, tag);
        if (AgentEvents.hasSubscribers()) {
            publish(EventMaps.opened(sessionId, tag));
        }
    }

    /** Records a policy verdict other than "allowed" for a session. */
    public void verdict(long sessionId, String verdict) {
        verdicts.put(sessionId, verdict);
    }

    @Override
    public void onClose(ConnectionEvent e) {
        CallerTag tag = tags.remove(e.id());
        String verdict = verdicts.remove(e.id());
        Destination dst = e.destination();
        String host = tag != null ? tag.host() : dst != null ? dst.host() : "-";
        int port = dst != null ? dst.port() : tag != null ? tag.port() : 0;
        long start = tag != null ? tag.startMillis() : e.start().toEpochMilli();
        long duration = e.duration() == null ? 0 : e.duration().toMillis();
        report(new ConnectionRecord(ids.incrementAndGet(), start, "proxy", e.protocol().label(),
                e.command() == null ? "connect" : e.command().label(), host, port, address(e.reached()),
                e.outcome().label(), e.replyCode(), e.bytesUp(), e.bytesDown(), duration,
                verdict == null ? ConnectionRecord.ALLOWED : verdict, tag, e.failure()), e.id());
    }

    /** A connection the app made without the in-process proxy. */
    public void direct(CallerTag tag, InetSocketAddress endpoint, Throwable failure, long endNanos, String verdict) {
        long duration = TimeUnit.NANOSECONDS.toMillis(endNanos - tag.startNanos());
        report(new ConnectionRecord(ids.incrementAndGet(), tag.startMillis(), "direct", "tcp", "connect",
                tag.host(), tag.port(), failure == null ? address(endpoint) : null, outcomeOf(failure), -1, -1, -1,
                duration, verdict, tag, failure == null ? null : failure.getClass().getSimpleName()), null);
    }

    /**
     * A name lookup the app made: logged, written to the events file ({@code protocol=dns},
     * {@code command=resolve}) and kept for the summary. Not published to {@link AgentEvents} subscribers,
     * which receive connections only.
     */
    public void lookup(CallerTag tag, InetAddress[] addresses, Throwable failure, long endNanos) {
        long nanos = endNanos - tag.startNanos();
        traffic.lookup(tag.host(), addresses, nanos, tag.callerText());
        String resolved = addresses == null ? null : Arrays.stream(addresses).map(InetAddress::getHostAddress)
                .collect(Collectors.joining("|"));
        ConnectionRecord record = new ConnectionRecord(ids.incrementAndGet(), tag.startMillis(), "direct", "dns",
                "resolve", tag.host(), -1, resolved, outcomeOf(failure), -1, -1, -1,
                TimeUnit.NANOSECONDS.toMillis(nanos), ConnectionRecord.ALLOWED, tag,
                failure == null ? null : failure.getClass().getSimpleName());
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
            writeEvent(new ConnectionRecord(ids.incrementAndGet(), tag.startMillis(), "direct", "udp", "send",
                    tag.host(), tag.port(), address(totals.target), "ok", -1, totals.bytes.sum(), -1,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - tag.startNanos()), ConnectionRecord.ALLOWED,
                    tag, null));
        }
    }

    private void writeEvent(ConnectionRecord record) {
        InventoryHook.record(record); // JFR events, learn=, report=
        if (events != null) {
            try {
                events.write(record);
            } catch (IOException e) {
                Log.CONNECTIONS.warn("cannot write the events file: {}", e.toString());
            }
        }
    }

    /** @param session the proxy session id, or {@code null} for a direct connection */
    private void report(ConnectionRecord record, Long session) {
        if (Log.CONNECTIONS.isInfoEnabled()) {
            Log.CONNECTIONS.info(LogLine.format(record));
        }
        summary.add(record);
        writeEvent(record);
        if (AgentEvents.hasSubscribers()) {
            publish(EventMaps.finished(record, session));
        }
    }

    private static void publish(Map<String, Object> event) {
        try {
            AgentEvents.publish(event);
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

    private static String address(InetSocketAddress address) {
        if (address == null || address.isUnresolved()) {
            return null;
        }
        return EventFormat.address(address);
    }

    /** Maps by exception type, like the proxy does, never by message text. */
    static String outcomeOf(Throwable failure) {
        if (failure == null) {
            return "ok";
        }
        if (failure instanceof ConnectException) {
            return "refused";
        }
        if (failure instanceof SocketTimeoutException) {
            return "timeout";
        }
        if (failure instanceof UnknownHostException || failure instanceof NoRouteToHostException) {
            return "host-unreachable";
        }
        return "failed";
    }
}
