package dev.socksbridge.agent.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.agent.bootstrap.CallerTag;
import dev.socksbridge.agent.report.ReporterAccess;
import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.ConnectionEvent.Verdict;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.EventJson;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Protocol;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory's reader of the events= schema: what the agent writes reads back; bad lines are counted. */
class EventsReaderTest {

    @TempDir
    Path dir;

    /** A proxied connection as the agent's Reporter builds it. */
    static ConnectionEvent record(long id, String host, int port, String outcome, String verdict) {
        CallerTag tag = new CallerTag("com.acme.Billing", "charge", "Billing.java", 88, "main", false, host, port,
                1_700_000_000_000L + id, 0);
        boolean ok = "ok".equals(outcome);
        return ReporterAccess.tagged(ConnectionEvent.builder(), tag).id(id).protocol(Protocol.SOCKS5)
                .command(Command.CONNECT).destination(new Destination(host, port))
                .reached(ok ? new InetSocketAddress("10.1.2.3", port) : null)
                .outcome(Arrays.stream(Outcome.values()).filter(o -> o.label().equals(outcome)).findFirst().orElseThrow())
                .replyCode(0).bytesUp(512L).bytesDown(4096L).duration(Duration.ofMillis(38))
                .policy(Arrays.stream(Verdict.values()).filter(v -> v.label().equals(verdict)).findFirst().orElseThrow())
                .failure(ok ? null : "ConnectException").build();
    }

    @Test
    void whatTheAgentWritesReadsBackFieldByField() throws Exception {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, EventJson.toJson(record(7, "api.example.com", 443, "ok", "allowed")) + "\n");
        List<EgressEvent> events = read(new EventsReader(), file);
        assertEquals(1, events.size());
        EgressEvent e = events.get(0);
        assertEquals(7, e.id());
        assertEquals(1_700_000_000_007L, e.startMillis());
        assertEquals("api.example.com:443", e.destination());
        assertEquals("10.1.2.3:443", e.resolved());
        assertEquals(512, e.bytesUp());
        assertEquals(4096, e.bytesDown());
        assertEquals(38, e.durationMillis());
        assertEquals("com.acme.Billing", e.callerName());
        assertEquals("charge(Billing.java:88)", e.callSite());
        assertEquals("main", e.thread());
        assertEquals(EgressEvent.Kind.CONNECTION, e.kind());
        assertNull(e.failure());
    }

    @Test
    void corruptLinesAreSkippedAndCountedAndTheRestIsRead() throws Exception {
        Path file = dir.resolve("events.jsonl");
        String good = EventJson.toJson(record(1, "db.internal", 5432, "ok", "allowed"));
        Files.writeString(file, String.join("\n", good, "{\"id\":2,\"start\":", "not json at all", "",
                "{\"id\":3}", good.replace("\"route\":\"proxy\"", "\"route\":17"), good) + "\n", StandardCharsets.UTF_8);
        EventsReader reader = new EventsReader();
        List<EgressEvent> events = read(reader, file);
        assertEquals(2, events.size());
        assertEquals(2, reader.eventsRead());
        assertEquals(4, reader.linesSkipped());
        assertTrue(reader.firstSkipped().startsWith(file + ":2: "), reader.firstSkipped());
    }

    @Test
    void lookupsAndDatagramTotalsAreToldApartFromConnections() throws Exception {
        String lookup = "{\"id\":1,\"start\":\"2026-12-03T10:00:00Z\",\"route\":\"direct\",\"protocol\":\"dns\","
                + "\"command\":\"resolve\",\"target_host\":\"api.example.com\",\"target_port\":null,"
                + "\"resolved\":\"10.0.0.1|10.0.0.2\",\"outcome\":\"ok\",\"reply_code\":null,\"bytes_up\":null,"
                + "\"bytes_down\":null,\"duration_ms\":3,\"policy\":\"allowed\",\"caller_class\":null,"
                + "\"caller_method\":null,\"caller_file\":null,\"caller_line\":null,\"thread\":\"main\","
                + "\"virtual\":false,\"failure\":null}";
        EgressEvent e = readOne(lookup);
        assertEquals(EgressEvent.Kind.LOOKUP, e.kind());
        assertEquals("api.example.com", e.destination());
        assertEquals(-1, e.bytesUp());
        assertEquals("unknown", e.callerName());
        EgressEvent udp = readOne(lookup.replace("\"dns\"", "\"udp\"")
                .replace("\"resolve\"", "\"send\"").replace("\"target_port\":null", "\"target_port\":8125"));
        assertEquals(EgressEvent.Kind.DATAGRAMS, udp.kind());
        assertEquals("api.example.com:8125", udp.destination());
    }

    private EgressEvent readOne(String line) throws Exception {
        Path file = Files.writeString(dir.resolve("one.jsonl"), line + "\n");
        List<EgressEvent> events = read(new EventsReader(), file);
        assertEquals(1, events.size(), line);
        return events.get(0);
    }

    private static List<EgressEvent> read(EventsReader reader, Path file) throws Exception {
        List<EgressEvent> events = new ArrayList<>();
        reader.read(file, events::add);
        return events;
    }
}
