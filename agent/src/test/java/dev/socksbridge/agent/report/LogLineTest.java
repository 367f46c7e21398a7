package dev.socksbridge.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.socksbridge.agent.bootstrap.CallerTag;
import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.ConnectionEvent.Route;
import dev.socksbridge.proxy.ConnectionEvent.Verdict;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLineTest {

    private static final CallerTag TAG = new CallerTag("com.acme.Billing", "charge", "Billing.java", 88, "main",
            false, "api.example.com", 443, 0, 0);

    /** A finished connection as the Reporter builds it: tagged with {@code tag} (external when null), allowed. */
    static ConnectionEvent.Builder connection(long id, Route route, String host, int port, CallerTag tag) {
        ConnectionEvent.Builder b = ConnectionEvent.builder().id(id).start(Instant.EPOCH).route(route)
                .protocol(route == Route.DIRECT ? Protocol.TCP : Protocol.SOCKS5).command(Command.CONNECT)
                .destination(new Destination(host, port)).policy(Verdict.ALLOWED);
        if (route == Route.DIRECT) {
            b.bytesUp(null).bytesDown(null);
        }
        return tag == null ? b : Reporter.tagged(b, tag);
    }

    /** {@code api.example.com:443 -> 93.184.216.34:443}, ok, 512 bytes up, 4200 down, 38 ms. */
    static ConnectionEvent record(CallerTag tag) {
        return connection(12, Route.PROXY, "api.example.com", 443, tag).reached(at("93.184.216.34", 443))
                .outcome(Outcome.OK).replyCode(0).bytesUp(512L).bytesDown(4200L).duration(Duration.ofMillis(38))
                .build();
    }

    static InetSocketAddress at(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void proxiedConnectionAsTheIssueShowsIt() {
        assertEquals("socksbridge conn#12 CONNECT api.example.com:443 -> 93.184.216.34:443 ok up=512B down=4.1KiB "
                + "38ms caller=com.acme.Billing.charge(Billing.java:88) thread=main",
                LogLine.format(record(TAG)));
    }

    @Test
    void theAppFrameFollowsTheCallerWhenItDiffers() {
        CallerTag library = new CallerTag("org.postgresql.core.PGStream", "createSocket", "PGStream.java", 260, "main",
                false, "db", 5432, 0, 0, "com.acme.Repo.load(Repo.java:41)", List.of(), -1);
        assertEquals("socksbridge conn#12 CONNECT api.example.com:443 -> 93.184.216.34:443 ok up=512B down=4.1KiB "
                + "38ms caller=org.postgresql.core.PGStream.createSocket(PGStream.java:260) "
                + "app=com.acme.Repo.load(Repo.java:41) thread=main", LogLine.format(record(library)));
        CallerTag same = new CallerTag("com.acme.Billing", "charge", "Billing.java", 88, "main", false,
                "api.example.com", 443, 0, 0, "com.acme.Billing.charge(Billing.java:88)", List.of(), -1);
        assertEquals(LogLine.format(record(TAG)), LogLine.format(record(same)), "no app= when it is the caller");
        assertEquals("com.acme.Billing.charge(Billing.java:88)", record(same).appCaller(), "the event keeps it");
    }

    @Test
    void directConnectionHasNoByteCountsAndSaysItsRoute() {
        ConnectionEvent r = connection(3, Route.DIRECT, "db.internal", 5432, TAG).outcome(Outcome.REFUSED)
                .duration(Duration.ofMillis(2)).policy(Verdict.WOULD_DENY).failure("ConnectException").build();
        assertEquals("socksbridge conn#3 CONNECT db.internal:5432 -> - refused 2ms route=direct policy=would-deny "
                + "caller=com.acme.Billing.charge(Billing.java:88) thread=main reason=\"ConnectException\"",
                LogLine.format(r));
    }

    @Test
    void externalClientAndVirtualThread() {
        ConnectionEvent external = connection(4, Route.PROXY, "h", 1, null).outcome(Outcome.DENIED).replyCode(2)
                .duration(Duration.ofMillis(1)).policy(Verdict.DENIED).build();
        assertEquals("socksbridge conn#4 CONNECT h:1 -> - denied up=0B down=0B 1ms policy=denied caller=external",
                LogLine.format(external));
        CallerTag virtual = new CallerTag(null, null, null, -1, "", true, "h", 1, 0, 0);
        ConnectionEvent r = connection(5, Route.PROXY, "h", 1, virtual).reached(at("10.0.0.1", 1)).outcome(Outcome.OK)
                .replyCode(0).bytesUp(1L).bytesDown(2L).duration(Duration.ofMillis(3)).build();
        assertEquals("socksbridge conn#5 CONNECT h:1 -> 10.0.0.1:1 ok up=1B down=2B 3ms caller=unknown thread=\"\" (virtual)",
                LogLine.format(r));
    }

    @Test
    void aFaultedConnectionSaysWhichFaultsTouchedIt() {
        ConnectionEvent r = connection(6, Route.PROXY, "db", 5432, TAG).reached(at("127.0.0.1", 5432))
                .outcome(Outcome.OK).replyCode(0).bytesUp(1L).bytesDown(0L).duration(Duration.ofMillis(900))
                .failure("FaultCutoff: reset_peer: connection reset to the app")
                .faults(java.util.List.of("latency", "reset_peer")).build();
        assertEquals("socksbridge conn#6 CONNECT db:5432 -> 127.0.0.1:5432 ok up=1B down=0B 900ms "
                + "caller=com.acme.Billing.charge(Billing.java:88) thread=main faults=latency,reset_peer",
                LogLine.format(r));
    }

    @Test
    void summaryCountsFaultedConnectionsOnlyWhenThereAreAny() {
        Summary summary = new Summary();
        summary.add(record(TAG));
        assertEquals(6, summary.lines().get(0).split("\\s+").length - 2, "no faulted column: " + summary.lines());
        summary.add(connection(7, Route.PROXY, "api.example.com", 443, TAG).outcome(Outcome.OK).replyCode(0)
                .bytesUp(0L).bytesDown(0L).duration(Duration.ofMillis(1)).faults(java.util.List.of("latency")).build());
        var lines = summary.lines();
        assertEquals(java.util.List.of("destination", "conns", "up", "down", "callers", "failures", "faulted"),
                java.util.List.of(lines.get(0).split("\\s+")).subList(2, 9));
        String[] row = lines.get(1).split("\\s+");
        assertEquals(java.util.List.of("api.example.com:443", "2", "1"), java.util.List.of(row[2], row[3], row[8]));
    }

    @Test
    void summaryCountsPerDestination() {
        Summary summary = new Summary();
        summary.add(record(TAG));
        summary.add(record(new CallerTag("x.Y", "z", "Y.java", 1, "t", false, "h", 1, 0, 0)));
        summary.add(connection(9, Route.DIRECT, "db", 5432, TAG).outcome(Outcome.REFUSED)
                .duration(Duration.ofMillis(2)).build());
        var lines = summary.lines();
        assertEquals(3, lines.size(), lines.toString());
        assertEquals(java.util.List.of("api.example.com:443", "2", "1.0KiB", "8.2KiB", "2", "0"),
                java.util.List.of(lines.get(1).split("\\s+")).subList(2, 8));
        assertEquals(java.util.List.of("db:5432", "1", "0B", "0B", "1", "1"),
                java.util.List.of(lines.get(2).split("\\s+")).subList(2, 8));
    }

    @Test
    void aWouldDenyShowsThePolicysReasonThoughTheConnectionWorked() {
        ConnectionEvent r = record(TAG).toBuilder().policy(Verdict.WOULD_DENY)
                .failure("no allow rule for com.acme.Billing -> api.example.com:443").build();
        assertEquals("socksbridge conn#12 CONNECT api.example.com:443 -> 93.184.216.34:443 ok up=512B down=4.1KiB "
                + "38ms policy=would-deny caller=com.acme.Billing.charge(Billing.java:88) thread=main"
                + " reason=\"no allow rule for com.acme.Billing -> api.example.com:443\"", LogLine.format(r));
    }
}
