package dev.socksbridge.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.socksbridge.agent.bootstrap.AgentEvents;
import dev.socksbridge.agent.bootstrap.CallerTag;
import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.ConnectionEvent.Verdict;
import dev.socksbridge.proxy.ConnectionPolicy.Decision;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Protocol;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ReporterTest {

    private static final CallerTag TAG = new CallerTag("com.acme.Billing", "charge", "Billing.java", 88, "main", false,
            "api.example.com", 443, 1_700_000_000_000L, 0L);

    /** What {@code AgentEvents} subscribers (the JUnit extension) receive while {@code work} runs. */
    private static List<Map<String, Object>> published(Consumer<Reporter> work) {
        List<Map<String, Object>> maps = new CopyOnWriteArrayList<>();
        Consumer<Map<String, Object>> subscriber = maps::add;
        AgentEvents.subscribe(subscriber);
        try {
            work.accept(new Reporter(null));
        } finally {
            AgentEvents.unsubscribe(subscriber);
        }
        return maps;
    }

    @Test
    void aProxiedConnectionIsPublishedOpenThenFinishedWithTheAppsNameAndCaller() {
        ConnectionEvent session = ConnectionEvent.builder().id(7).start(Instant.now()).protocol(Protocol.SOCKS5)
                .command(Command.CONNECT).client(LogLineTest.at("127.0.0.1", 50123))
                .destination(new Destination("93.184.216.34", 443)).reached(LogLineTest.at("93.184.216.34", 443))
                .outcome(Outcome.OK).replyCode(0).bytesUp(512L).bytesDown(4200L).duration(Duration.ofMillis(38))
                .build();
        List<Map<String, Object>> maps = published(reporter -> {
            reporter.tagSession(7, TAG);
            reporter.onClose(session);
        });
        assertEquals(2, maps.size(), maps.toString());
        Map<String, Object> open = maps.get(0);
        Map<String, Object> closed = maps.get(1);
        assertEquals(open.keySet(), closed.keySet());
        assertEquals("open", open.get("outcome"));
        assertEquals("api.example.com", open.get("target_host"));
        assertEquals("main", open.get("thread"));
        assertEquals(7L, open.get("session"));
        assertEquals(1L, closed.get("id"));
        assertEquals(7L, closed.get("session"));
        assertEquals("2023-11-14T22:13:20Z", closed.get("start"));
        assertEquals("api.example.com", closed.get("target_host"), "the name the app used, not the IP the JDK sent");
        assertEquals(443, closed.get("target_port"));
        assertEquals("93.184.216.34:443", closed.get("resolved"));
        assertEquals(512L, closed.get("bytes_up"));
        assertEquals("allowed", closed.get("policy"));
        assertEquals("com.acme.Billing", closed.get("caller_class"));
        assertEquals(88, closed.get("caller_line"));
    }

    @Test
    void aDirectConnectionHasNoSessionReplyOrByteCounts() {
        List<Map<String, Object>> maps = published(reporter -> reporter.direct(TAG,
                LogLineTest.at("93.184.216.34", 443), new ConnectException("refused"), 5_000_000,
                Decision.wouldDeny(null), null));
        assertEquals(1, maps.size(), maps.toString());
        Map<String, Object> direct = maps.get(0);
        assertEquals("direct", direct.get("route"));
        assertEquals("tcp", direct.get("protocol"));
        assertEquals("refused", direct.get("outcome"));
        assertEquals("would-deny", direct.get("policy"));
        assertEquals(5L, direct.get("duration_ms"));
        assertEquals("ConnectException", direct.get("failure"));
        assertNull(direct.get("resolved"), "a failed connect reached nothing");
        assertNull(direct.get("reply_code"));
        assertNull(direct.get("bytes_up"));
        assertNull(direct.get("bytes_down"));
        assertNull(direct.get("session"));
    }

    @Test
    void anEmptyHostNameIsReportedAsADashNotThrownIntoTheApp() {
        CallerTag empty = new CallerTag(null, null, null, -1, "main", false, "", 80, 0L, 0L);
        List<Map<String, Object>> maps = published(reporter -> reporter.direct(empty, null, null, 0,
                Decision.ALLOW, null));
        assertEquals(1, maps.size(), maps.toString());
        assertEquals("-", maps.get(0).get("target_host"));
        assertEquals(80, maps.get(0).get("target_port"));
    }

    private static ConnectionEvent session(long id, Outcome outcome, String failure, Verdict policy) {
        return ConnectionEvent.builder().id(id).start(Instant.now()).protocol(Protocol.SOCKS5)
                .command(Command.CONNECT).client(LogLineTest.at("127.0.0.1", 50123))
                .destination(new Destination("93.184.216.34", 443)).outcome(outcome).failure(failure)
                .policy(policy).duration(Duration.ofMillis(3)).build();
    }

    @Test
    void theProxysVerdictAndTheFailureWithItsReasonArePublishedAsTheProxyRecordedThem() {
        String reason = "no allow rule for com.acme.Billing -> api.example.com:443";
        List<Map<String, Object>> maps = published(reporter -> {
            reporter.tagSession(1, TAG);
            reporter.onClose(session(1, Outcome.DENIED, reason, Verdict.DENIED));
            reporter.tagSession(2, TAG);
            reporter.onClose(session(2, Outcome.OK, reason, Verdict.WOULD_DENY));
            reporter.tagSession(3, TAG);
            reporter.onClose(session(3, Outcome.REFUSED, "connection refused; " + reason, Verdict.WOULD_DENY));
            reporter.tagSession(4, TAG);
            reporter.onClose(session(4, Outcome.REFUSED, "connection refused", null));
        });
        List<Map<String, Object>> closed = maps.stream().filter(m -> !"open".equals(m.get("outcome"))).toList();
        assertEquals(4, closed.size(), maps.toString());
        assertEquals("denied", closed.get(0).get("policy"));
        assertEquals(reason, closed.get(0).get("failure"));
        assertEquals("would-deny", closed.get(1).get("policy"));
        assertEquals(reason, closed.get(1).get("failure"));
        assertEquals("connection refused; " + reason, closed.get(2).get("failure"));
        assertEquals("allowed", closed.get(3).get("policy"), "a session no policy looked at counts as allowed");
        assertEquals("connection refused", closed.get(3).get("failure"));
    }

    @Test
    void aDirectWouldDenyCarriesTheReasonBesideItsFailure() {
        String reason = "no allow rule for com.acme.Billing -> api.example.com:443";
        List<Map<String, Object>> maps = published(reporter -> {
            reporter.direct(TAG, LogLineTest.at("93.184.216.34", 443), null, 5_000_000, Decision.wouldDeny(reason),
                    null);
            reporter.direct(TAG, null, new ConnectException("refused"), 5_000_000, Decision.wouldDeny(reason), null);
        });
        assertEquals(reason, maps.get(0).get("failure"));
        assertEquals("ok", maps.get(0).get("outcome"));
        assertEquals("ConnectException; " + reason, maps.get(1).get("failure"));
    }
}
