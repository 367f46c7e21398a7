package dev.socksbridge.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.socksbridge.agent.bootstrap.CallerTag;
import org.junit.jupiter.api.Test;

class LogLineTest {

    private static final CallerTag TAG = new CallerTag("com.acme.Billing", "charge", "Billing.java", 88, "main",
            false, "api.example.com", 443, 0, 0);

    @Test
    void proxiedConnectionAsTheIssueShowsIt() {
        assertEquals("socksbridge conn#12 CONNECT api.example.com:443 -> 93.184.216.34:443 ok up=512B down=4.1KiB "
                + "38ms caller=com.acme.Billing.charge(Billing.java:88) thread=main",
                LogLine.format(JsonLineTest.record(TAG, null)));
    }

    @Test
    void directConnectionHasNoByteCountsAndSaysItsRoute() {
        ConnectionRecord r = new ConnectionRecord(3, 0, "direct", "tcp", "connect", "db.internal", 5432, null,
                "refused", -1, -1, -1, 2, "would-deny", TAG, "ConnectException");
        assertEquals("socksbridge conn#3 CONNECT db.internal:5432 -> - refused 2ms route=direct policy=would-deny "
                + "caller=com.acme.Billing.charge(Billing.java:88) thread=main reason=\"ConnectException\"",
                LogLine.format(r));
    }

    @Test
    void externalClientAndVirtualThread() {
        ConnectionRecord external = new ConnectionRecord(4, 0, "proxy", "socks5", "connect", "h", 1, null, "denied",
                2, 0, 0, 1, "denied", null, null);
        assertEquals("socksbridge conn#4 CONNECT h:1 -> - denied up=0B down=0B 1ms policy=denied caller=external",
                LogLine.format(external));
        CallerTag virtual = new CallerTag(null, null, null, -1, "", true, "h", 1, 0, 0);
        ConnectionRecord r = new ConnectionRecord(5, 0, "proxy", "socks5", "connect", "h", 1, "10.0.0.1:1", "ok", 0,
                1, 2, 3, "allowed", virtual, null);
        assertEquals("socksbridge conn#5 CONNECT h:1 -> 10.0.0.1:1 ok up=1B down=2B 3ms caller=unknown thread=\"\" (virtual)",
                LogLine.format(r));
    }

    @Test
    void aFaultedConnectionSaysWhichFaultsTouchedIt() {
        ConnectionRecord r = new ConnectionRecord(6, 0, "proxy", "socks5", "connect", "db", 5432, "127.0.0.1:5432",
                "ok", 0, 1, 0, 900, "allowed", TAG, "FaultCutoff: reset_peer: connection reset to the app",
                "latency,reset_peer");
        assertEquals("socksbridge conn#6 CONNECT db:5432 -> 127.0.0.1:5432 ok up=1B down=0B 900ms "
                + "caller=com.acme.Billing.charge(Billing.java:88) thread=main faults=latency,reset_peer",
                LogLine.format(r));
    }

    @Test
    void summaryCountsFaultedConnectionsOnlyWhenThereAreAny() {
        Summary summary = new Summary();
        summary.add(JsonLineTest.record(TAG, null));
        assertEquals(6, summary.lines().get(0).split("\\s+").length - 2, "no faulted column: " + summary.lines());
        summary.add(new ConnectionRecord(7, 0, "proxy", "socks5", "connect", "api.example.com", 443, null, "ok", 0,
                0, 0, 1, "allowed", TAG, null, "latency"));
        var lines = summary.lines();
        assertEquals(java.util.List.of("destination", "conns", "up", "down", "callers", "failures", "faulted"),
                java.util.List.of(lines.get(0).split("\\s+")).subList(2, 9));
        String[] row = lines.get(1).split("\\s+");
        assertEquals(java.util.List.of("api.example.com:443", "2", "1"), java.util.List.of(row[2], row[3], row[8]));
    }

    @Test
    void summaryCountsPerDestination() {
        Summary summary = new Summary();
        summary.add(JsonLineTest.record(TAG, null));
        summary.add(JsonLineTest.record(new CallerTag("x.Y", "z", "Y.java", 1, "t", false, "h", 1, 0, 0), null));
        summary.add(new ConnectionRecord(9, 0, "direct", "tcp", "connect", "db", 5432, null, "refused", -1, -1, -1,
                2, "allowed", TAG, null));
        var lines = summary.lines();
        assertEquals(3, lines.size(), lines.toString());
        assertEquals(java.util.List.of("api.example.com:443", "2", "1.0KiB", "8.2KiB", "2", "0"),
                java.util.List.of(lines.get(1).split("\\s+")).subList(2, 8));
        assertEquals(java.util.List.of("db:5432", "1", "0B", "0B", "1", "1"),
                java.util.List.of(lines.get(2).split("\\s+")).subList(2, 8));
    }
}
