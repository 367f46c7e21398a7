package dev.socksbridge.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.agent.bootstrap.CallerTag;
import org.junit.jupiter.api.Test;

class JsonLineTest {

    private static final CallerTag TAG = new CallerTag("com.acme.Billing", "charge", "Billing.java", 88, "main",
            false, "api.example.com", 443, 1_700_000_000_000L, 0);

    static ConnectionRecord record(CallerTag tag, String failure) {
        return new ConnectionRecord(12, 1_700_000_000_000L, "proxy", "socks5", "connect", "api.example.com", 443,
                "93.184.216.34:443", "ok", 0, 512, 4200, 38, "allowed", tag, failure);
    }

    @Test
    void oneObjectWithEveryDocumentedField() {
        assertEquals("{\"id\":12,\"start\":\"2023-11-14T22:13:20Z\",\"route\":\"proxy\",\"protocol\":\"socks5\","
                + "\"command\":\"connect\",\"target_host\":\"api.example.com\",\"target_port\":443,"
                + "\"resolved\":\"93.184.216.34:443\",\"outcome\":\"ok\",\"reply_code\":0,\"bytes_up\":512,"
                + "\"bytes_down\":4200,\"duration_ms\":38,\"policy\":\"allowed\",\"caller_class\":\"com.acme.Billing\","
                + "\"caller_method\":\"charge\",\"caller_file\":\"Billing.java\",\"caller_line\":88,\"thread\":\"main\","
                + "\"virtual\":false,\"failure\":null,\"faults\":null}", JsonLine.format(record(TAG, null)));
    }

    @Test
    void theFaultsThatTouchedAConnectionAreOneCommaSeparatedString() {
        ConnectionRecord faulted = new ConnectionRecord(12, 0, "proxy", "socks5", "connect", "db", 5432,
                "127.0.0.1:5432", "ok", 0, 1, 0, 900, "allowed", TAG, "FaultCutoff: reset_peer: connection reset to the app",
                "latency,reset_peer");
        String json = JsonLine.format(faulted);
        assertTrue(json.endsWith(",\"faults\":\"latency,reset_peer\"}"), json);
    }

    @Test
    void unknownValuesAreNull() {
        ConnectionRecord direct = new ConnectionRecord(3, 0, "direct", "tcp", "connect", "db", 5432, null, "refused",
                -1, -1, -1, 2, "allowed", null, "ConnectException");
        String json = JsonLine.format(direct);
        assertTrue(json.contains("\"resolved\":null,\"outcome\":\"refused\",\"reply_code\":null,\"bytes_up\":null,"
                + "\"bytes_down\":null"), json);
        assertTrue(json.contains("\"caller_class\":null,\"caller_method\":null,\"caller_file\":null,"
                + "\"caller_line\":null,\"thread\":null,\"virtual\":null"), json);
    }

    @Test
    void stringsAreEscaped() {
        CallerTag odd = new CallerTag("a.B", "m", "B.java", -1, "worker \"1\"\\\n\t\u0001\u2028é", true, "h", 1, 0, 0);
        String json = JsonLine.format(record(odd, "said \"no\""));
        assertTrue(json.contains("\"thread\":\"worker \\\"1\\\"\\\\\\n\\t\\u0001\\u2028é\""), json);
        assertTrue(json.contains("\"caller_line\":null"), json);
        assertTrue(json.contains("\"failure\":\"said \\\"no\\\"\""), json);
        assertTrue(json.indexOf('\n') < 0, "one line: " + json);
    }
}
