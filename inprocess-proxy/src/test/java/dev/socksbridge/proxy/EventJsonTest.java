package dev.socksbridge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.ConnectionEvent.Frame;
import dev.socksbridge.proxy.ConnectionEvent.Lookup;
import dev.socksbridge.proxy.ConnectionEvent.Route;
import dev.socksbridge.proxy.ConnectionEvent.Verdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    private static final Frame BILLING = new Frame("com.acme.Billing", "charge", "Billing.java", 88);

    /** A proxied connection as the agent reports it: renumbered, with its session, caller and verdict. */
    static ConnectionEvent.Builder proxied(Frame caller, String thread, String failure) throws Exception {
        return ConnectionEvent.builder().id(12).start(Instant.ofEpochMilli(1_700_000_000_000L)).session(7L)
                .protocol(Protocol.SOCKS5).command(Command.CONNECT).destination(new Destination("api.example.com", 443))
                .reached(new InetSocketAddress(InetAddress.getByName("93.184.216.34"), 443))
                .outcome(Outcome.OK).replyCode(0).bytesUp(512L).bytesDown(4200L).duration(Duration.ofMillis(38))
                .policy(Verdict.ALLOWED).caller(caller).thread(thread).failure(failure);
    }

    private static List<String> jsonKeys(String json) {
        List<String> keys = new ArrayList<>();
        Matcher m = Pattern.compile("[{,]\"([a-z_]+)\":").matcher(json);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    @Test
    void oneObjectWithEveryDocumentedField() throws Exception {
        assertEquals("{\"id\":12,\"start\":\"2023-11-14T22:13:20Z\",\"route\":\"proxy\",\"protocol\":\"socks5\","
                + "\"command\":\"connect\",\"target_host\":\"api.example.com\",\"target_port\":443,"
                + "\"resolved\":\"93.184.216.34:443\",\"outcome\":\"ok\",\"reply_code\":0,\"bytes_up\":512,"
                + "\"bytes_down\":4200,\"duration_ms\":38,\"policy\":\"allowed\",\"caller_class\":\"com.acme.Billing\","
                + "\"caller_method\":\"charge\",\"caller_file\":\"Billing.java\",\"caller_line\":88,\"thread\":\"main\","
                + "\"virtual\":false,\"failure\":null,\"via\":null,\"faults\":null,\"app_caller\":null,\"stack\":null}",
                EventJson.toJson(proxied(BILLING, "main", null).build()));
    }

    @Test
    void unknownValuesAreNull() {
        ConnectionEvent direct = ConnectionEvent.builder().id(3).start(Instant.EPOCH).route(Route.DIRECT)
                .protocol(Protocol.TCP).command(Command.CONNECT).destination(new Destination("db", 5432))
                .outcome(Outcome.REFUSED).bytesUp(null).bytesDown(null).duration(Duration.ofMillis(2)).policy(Verdict.ALLOWED)
                .failure("ConnectException").build();
        String json = EventJson.toJson(direct);
        assertTrue(json.contains("\"resolved\":null,\"outcome\":\"refused\",\"reply_code\":null,\"bytes_up\":null,"
                + "\"bytes_down\":null"), json);
        assertTrue(json.contains("\"caller_class\":null,\"caller_method\":null,\"caller_file\":null,"
                + "\"caller_line\":null,\"thread\":null,\"virtual\":null"), json);
    }

    @Test
    void stringsAreEscaped() throws Exception {
        Frame odd = new Frame("a.B", "m", "B.java", null);
        String json = EventJson.toJson(proxied(odd, "worker \"1\"\\\n\t\u0001\u2028é", "said \"no\"").build());
        assertTrue(json.contains("\"thread\":\"worker \\\"1\\\"\\\\\\n\\t\\u0001\\u2028é\""), json);
        assertTrue(json.contains("\"caller_line\":null"), json);
        assertTrue(json.contains("\"failure\":\"said \\\"no\\\"\""), json);
        assertTrue(json.indexOf('\n') < 0, "one line: " + json);
    }

    @Test
    void theMapHasTheJsonKeysAndValuesPlusTheSession() throws Exception {
        ConnectionEvent event = proxied(BILLING, "main", null).build();
        Map<String, Object> map = EventJson.toMap(event);
        List<String> expected = new ArrayList<>(jsonKeys(EventJson.toJson(event)));
        expected.add(EventJson.SESSION);
        assertEquals(expected, new ArrayList<>(map.keySet()));
        assertEquals(12L, map.get("id"));
        assertEquals("api.example.com", map.get("target_host"));
        assertEquals(443, map.get("target_port"));
        assertEquals("93.184.216.34:443", map.get("resolved"));
        assertEquals(512L, map.get("bytes_up"));
        assertEquals("com.acme.Billing", map.get("caller_class"));
        assertEquals(88, map.get("caller_line"));
        assertEquals(7L, map.get("session"));
        assertEquals("2023-11-14T22:13:20Z", map.get("start"));
    }

    @Test
    void whatIsWrittenReadsBackAsTheSameRecord() throws Exception {
        ConnectionEvent proxied = proxied(BILLING, "main", null).virtualThread(true).build();
        assertEquals(proxied, EventJson.fromMap(EventJson.toMap(proxied)));
        ConnectionEvent lookup = ConnectionEvent.builder().id(15).start(Instant.ofEpochMilli(1_700_000_000_123L))
                .route(Route.DIRECT).protocol(Protocol.DNS).command(Command.RESOLVE)
                .lookup(new Lookup("api.example.com", List.of(InetAddress.getByAddress(new byte[] {10, 0, 0, 1}),
                        InetAddress.getByName("::1"))))
                .outcome(Outcome.OK).bytesUp(null).bytesDown(null).duration(Duration.ofMillis(4))
                .policy(Verdict.ALLOWED).caller(BILLING).thread("").build();
        Map<String, Object> map = EventJson.toMap(lookup);
        assertNull(map.get("target_port"));
        assertEquals("10.0.0.1|0:0:0:0:0:0:0:1", map.get("resolved"));
        assertEquals(lookup, EventJson.fromMap(map));
    }

    @Test
    void theAppFrameAndTheStackAreWrittenAndReadBack() throws Exception {
        List<String> stack = List.of("org.postgresql.core.PGStream.createSocket(PGStream.java:260)",
                "com.acme.Repo.load(Repo.java:41)");
        ConnectionEvent event = proxied(new Frame("org.postgresql.core.PGStream", "createSocket", "PGStream.java", 260),
                "main", null).appCaller("com.acme.Repo.load(Repo.java:41)").stack(stack).build();
        String json = EventJson.toJson(event);
        assertTrue(json.endsWith(",\"app_caller\":\"com.acme.Repo.load(Repo.java:41)\",\"stack\":"
                + "\"org.postgresql.core.PGStream.createSocket(PGStream.java:260)|com.acme.Repo.load(Repo.java:41)\"}"),
                json);
        assertEquals(event, EventJson.fromMap(EventJson.toMap(event)));
        assertEquals(stack, EventJson.fromMap(EventJson.toMap(event)).stack());
    }

    @Test
    void readingIsLenientWhereAnotherVersionMayDiffer() {
        Map<String, Object> map = new HashMap<>();
        map.put("id", 3);
        map.put("start", "2026-11-27T05:00:00.123Z");
        map.put("route", "proxy");
        map.put("target_host", "h");
        map.put("target_port", 80);
        map.put("resolved", "not-an-ip:80");
        map.put("outcome", "something-new");
        ConnectionEvent event = EventJson.fromMap(map);
        assertEquals(Outcome.FAILED, event.outcome());
        assertNull(event.reached(), "a name is never looked up");
        assertNull(event.caller());
        assertEquals(Outcome.DENIED, EventJson.fromMap(Map.of("id", 1L, "start", "1970-01-01T00:00:00Z",
                "route", "direct", "outcome", "denied")).outcome());
    }
}
