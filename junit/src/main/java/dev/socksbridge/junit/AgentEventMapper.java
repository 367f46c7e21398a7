package dev.socksbridge.junit;

import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Outcome;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Reads one of the agent's connection maps: the keys of its {@code events=} JSON Lines (see the agent's
 * documentation), plus {@code session} (the proxy session id, the same in the open and the close map of
 * a proxied connection). A map with outcome {@code open} is a connection that has just been made.
 */
final class AgentEventMapper {

    private AgentEventMapper() {
    }

    /** The key that joins the open and close maps of one connection: the session id, else the agent's id. */
    static long keyOf(Map<String, Object> event) {
        Object session = event.get("session");
        if (session instanceof Number) {
            return ((Number) session).longValue();
        }
        // Direct connections have no session and arrive once; keep them apart from session ids.
        return -1 - number(event, "id", 0);
    }

    static RecordedConnection toConnection(Map<String, Object> event) {
        String host = text(event, "target_host", "?");
        int port = (int) number(event, "target_port", 0);
        Destination destination = new Destination(host.isEmpty() ? "?" : host, Math.max(0, Math.min(65535, port)));
        Outcome outcome = outcomeOf(text(event, "outcome", "failed"));
        String failure = (String) event.get("failure");
        Object duration = event.get("duration_ms");
        return new RecordedConnection(
                number(event, "id", -1),
                text(event, "route", "proxy"),
                destination,
                destination,
                address((String) event.get("resolved")),
                outcome,
                (int) number(event, "reply_code", -1),
                Math.max(0, number(event, "bytes_up", 0)),
                Math.max(0, number(event, "bytes_down", 0)),
                instant(event.get("start")),
                outcome == Outcome.OPEN || !(duration instanceof Number) ? null
                        : Duration.ofMillis(((Number) duration).longValue()),
                callerOf(event),
                (String) event.get("thread"),
                Boolean.TRUE.equals(event.get("virtual")),
                failure);
    }

    private static CallSite callerOf(Map<String, Object> event) {
        Object className = event.get("caller_class");
        if (!(className instanceof String)) {
            return CallSite.UNKNOWN;
        }
        return new CallSite((String) className, text(event, "caller_method", "?"),
                (String) event.get("caller_file"), (int) number(event, "caller_line", -1));
    }

    static Outcome outcomeOf(String label) {
        for (Outcome outcome : Outcome.values()) {
            if (outcome.label().equals(label)) {
                return outcome;
            }
        }
        return Outcome.FAILED;
    }

    /** {@code ip:port} or {@code [v6]:port}, as the agent writes it; never resolves. */
    static InetSocketAddress address(String text) {
        if (text == null) {
            return null;
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        java.net.InetAddress ip = IpLiterals.parse(text.substring(0, colon));
        try {
            return ip == null ? null : new InetSocketAddress(ip, Integer.parseInt(text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return null; // not a port: treat as unknown, as the agent would write null
        }
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant) {
            return (Instant) value;
        }
        if (value instanceof Number) {
            return Instant.ofEpochMilli(((Number) value).longValue());
        }
        if (value instanceof String) {
            return Instant.parse((String) value);
        }
        return Instant.now();
    }

    private static String text(Map<String, Object> event, String key, String fallback) {
        Object value = event.get(key);
        return value == null ? fallback : value.toString();
    }

    private static long number(Map<String, Object> event, String key, long fallback) {
        Object value = event.get(key);
        return value instanceof Number ? ((Number) value).longValue() : fallback;
    }
}
