package dev.socksbridge.agent.report;

import dev.socksbridge.agent.bootstrap.CallerTag;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The maps {@link dev.socksbridge.agent.bootstrap.AgentEvents} delivers: the same keys and values as
 * {@link JsonLine} writes ({@link #fields}), plus {@code session}.
 */
public final class EventMaps {

    private EventMaps() {
    }

    /** A finished connection; {@code session} is the proxy session id, or {@code null} for a direct one. */
    public static Map<String, Object> finished(ConnectionRecord r, Long session) {
        Map<String, Object> map = fields(r);
        map.put("session", session);
        return Collections.unmodifiableMap(map);
    }

    /**
     * The fields of a finished connection in the {@code events=} schema's order, {@code null} where the
     * schema says so; {@link JsonLine} writes exactly these, so the file and the subscribers never differ.
     */
    static Map<String, Object> fields(ConnectionRecord r) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", r.id());
        map.put("start", Instant.ofEpochMilli(r.startMillis()).toString());
        map.put("route", r.route());
        map.put("protocol", r.protocol());
        map.put("command", r.command());
        map.put("target_host", r.targetHost());
        map.put("target_port", r.targetPort() < 0 ? null : r.targetPort());
        map.put("resolved", r.resolved());
        map.put("outcome", r.outcome());
        map.put("reply_code", r.replyCode() < 0 ? null : r.replyCode());
        map.put("bytes_up", r.bytesUp() < 0 ? null : r.bytesUp());
        map.put("bytes_down", r.bytesDown() < 0 ? null : r.bytesDown());
        map.put("duration_ms", r.durationMillis());
        map.put("policy", r.verdict());
        caller(map, r.caller());
        map.put("failure", r.failure());
        map.put("faults", r.faults());
        return map;
    }

    /** A proxy session just joined to its caller: no id, outcome, bytes or duration yet. */
    public static Map<String, Object> opened(long session, CallerTag tag) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", null);
        map.put("start", Instant.ofEpochMilli(tag.startMillis()).toString());
        map.put("route", "proxy");
        map.put("protocol", null);
        map.put("command", "connect");
        map.put("target_host", tag.host());
        map.put("target_port", tag.port());
        map.put("resolved", null);
        map.put("outcome", "open");
        map.put("reply_code", null);
        map.put("bytes_up", 0L);
        map.put("bytes_down", 0L);
        map.put("duration_ms", null);
        map.put("policy", null);
        caller(map, tag);
        map.put("failure", null);
        map.put("faults", null);
        map.put("session", session);
        return Collections.unmodifiableMap(map);
    }

    private static void caller(Map<String, Object> map, CallerTag c) {
        map.put("caller_class", c == null ? null : c.callerClass());
        map.put("caller_method", c == null ? null : c.callerMethod());
        map.put("caller_file", c == null ? null : c.callerFile());
        map.put("caller_line", c == null || c.callerLine() < 0 ? null : c.callerLine());
        map.put("thread", c == null ? null : c.threadName());
        map.put("virtual", c == null ? null : c.virtual());
    }
}
