package dev.socksbridge.agent.report;

import dev.socksbridge.agent.bootstrap.AgentEvents;
import dev.socksbridge.agent.bootstrap.CallerTag;
import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.ConnectionListener;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.EventFormat;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
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

    /** @param session the proxy session id, or {@code null} for a direct connection */
    private void report(ConnectionRecord record, Long session) {
        if (Log.CONNECTIONS.isInfoEnabled()) {
            Log.CONNECTIONS.info(LogLine.format(record));
        }
        summary.add(record);
        if (events != null) {
            try {
                events.write(record);
            } catch (IOException e) {
                Log.CONNECTIONS.warn("cannot write the events file: {}", e.toString());
            }
        }
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
