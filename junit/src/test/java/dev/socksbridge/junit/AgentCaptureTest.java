package dev.socksbridge.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.EventJson;
import dev.socksbridge.proxy.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentCaptureTest {

    /** The keys of the agent's JSON Lines events, as its AgentEvents publisher hands them over. */
    private static Map<String, Object> closedEvent() {
        Map<String, Object> event = new HashMap<>();
        event.put("id", 12L);
        event.put("session", 7L);
        event.put("start", "2026-11-27T05:00:00.123Z");
        event.put("route", "proxy");
        event.put("protocol", "socks5");
        event.put("command", "connect");
        event.put("target_host", "api.example.com");
        event.put("target_port", 443);
        event.put("resolved", "93.184.216.34:443");
        event.put("outcome", "ok");
        event.put("reply_code", 0);
        event.put("bytes_up", 512L);
        event.put("bytes_down", 4200L);
        event.put("duration_ms", 38L);
        event.put("caller_class", "com.acme.Billing");
        event.put("caller_method", "charge");
        event.put("caller_file", "Billing.java");
        event.put("caller_line", 88);
        event.put("thread", "main");
        event.put("virtual", false);
        event.put("failure", null);
        return event;
    }

    @Test
    void readsEveryFieldOfAFinishedConnection() {
        RecordedConnection c = AgentCapture.toConnection(EventJson.fromMap(closedEvent()));
        assertEquals(12, c.id());
        assertEquals("proxy", c.route());
        assertEquals("api.example.com:443", c.destination().toString());
        assertEquals("93.184.216.34", c.reached().getAddress().getHostAddress());
        assertEquals(443, c.reached().getPort());
        assertEquals(Outcome.OK, c.outcome());
        assertEquals(0, c.replyCode());
        assertEquals(512, c.bytesUp());
        assertEquals(4200, c.bytesDown());
        assertEquals(Instant.parse("2026-11-27T05:00:00.123Z"), c.start());
        assertEquals(Duration.ofMillis(38), c.duration());
        assertEquals("com.acme.Billing.charge(Billing.java:88)", c.caller().toString());
        assertEquals("main", c.threadName());
        assertFalse(c.virtualThread());
        assertEquals(7, AgentCapture.keyOf(EventJson.fromMap(closedEvent())));
    }

    @Test
    void aDirectConnectionHasNoSessionNoByteCountsAndItsOwnKey() {
        Map<String, Object> event = closedEvent();
        event.remove("session");
        event.put("route", "direct");
        event.put("bytes_up", null);
        event.put("bytes_down", null);
        event.put("reply_code", null);
        RecordedConnection c = AgentCapture.toConnection(EventJson.fromMap(event));
        assertEquals("direct", c.route());
        assertEquals(0, c.bytesUp());
        assertEquals(-1, c.replyCode());
        assertTrue(AgentCapture.keyOf(EventJson.fromMap(event)) < 0, "direct keys never collide with session ids");
    }

    @Test
    void anOpenConnectionHasNoDurationYet() {
        Map<String, Object> event = closedEvent();
        event.put("outcome", "open");
        event.put("resolved", null);
        RecordedConnection c = AgentCapture.toConnection(EventJson.fromMap(event));
        assertTrue(c.isOpen());
        assertNull(c.duration());
        assertNull(c.reached());
    }

    @Test
    void anUntaggedConnectionHasAnUnknownCallerAndIpv6AddressesParse() {
        Map<String, Object> event = closedEvent();
        event.put("caller_class", null);
        event.put("resolved", "[::1]:8080");
        RecordedConnection c = AgentCapture.toConnection(EventJson.fromMap(event));
        assertFalse(c.caller().isKnown());
        assertTrue(c.reached().getAddress().isLoopbackAddress());
    }

    @Test
    void unknownOutcomeLabelsCountAsFailures() {
        Map<String, Object> event = closedEvent();
        event.put("outcome", "denied");
        assertEquals(Outcome.DENIED, AgentCapture.toConnection(EventJson.fromMap(event)).outcome());
        event.put("outcome", "something-new");
        assertEquals(Outcome.FAILED, AgentCapture.toConnection(EventJson.fromMap(event)).outcome());
    }
}
