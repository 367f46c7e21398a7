package dev.socksbridge.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.agent.bootstrap.CallerTag;
import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.ConnectionEvent.Lookup;
import dev.socksbridge.proxy.ConnectionEvent.Route;
import dev.socksbridge.proxy.ConnectionEvent.Verdict;
import dev.socksbridge.proxy.EventJson;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficTest {

    private static final CallerTag METRICS = new CallerTag("com.acme.Metrics", "flush", "Metrics.java", 30, "main",
            false, "10.0.0.5", 8125, 0, 0);
    private static final CallerTag BILLING = new CallerTag("com.acme.Billing", "charge", "Billing.java", 87, "main",
            false, "api.example.com", -1, 0, 0);

    @Test
    void datagramsAreTotalledPerDestinationAndCallSite() throws Exception {
        Traffic traffic = new Traffic();
        InetSocketAddress statsd = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 5}), 8125);
        traffic.datagram(METRICS, statsd, 100, 1);
        traffic.datagram(METRICS, statsd, 50, 1);
        List<String> lines = traffic.udpLines();
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("socksbridge summary  udp 10.0.0.5:8125                    2       150B  "
                + "com.acme.Metrics.flush(Metrics.java:30)", lines.get(1));
    }

    @Test
    void aLookupIsLinkedToTheConnectionsThatUsedItsNameOrAddresses() throws Exception {
        Traffic traffic = new Traffic();
        InetAddress address = InetAddress.getByAddress("api.example.com", new byte[] {93, (byte) 184, (byte) 216, 34});
        traffic.lookup("api.example.com", new InetAddress[] {address}, 4_000_000, BILLING.callerText());
        traffic.lookup("gone.example.com", null, 1_000_000, BILLING.callerText());
        Summary connections = new Summary();
        connections.add(LogLineTest.connection(1, Route.PROXY, "93.184.216.34", 443, BILLING)
                .protocol(Protocol.TRANSPARENT).reached(LogLineTest.at("93.184.216.34", 443)).outcome(Outcome.OK)
                .replyCode(0).bytesUp(10L).bytesDown(20L).duration(Duration.ofMillis(5)).build());
        connections.add(LogLineTest.connection(2, Route.PROXY, "other.example.com", 443, BILLING)
                .reached(LogLineTest.at("10.1.1.1", 443)).outcome(Outcome.OK).replyCode(0).bytesUp(10L)
                .bytesDown(20L).duration(Duration.ofMillis(5)).build());
        List<String> lines = traffic.dnsLines(connections);
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith("socksbridge summary  dns api.example.com "), lines.get(1));
        assertTrue(lines.get(1).endsWith(" 93.184.216.34 -> then: 93.184.216.34:443"), lines.get(1));
        assertTrue(lines.get(2).endsWith(" 1  - -> then: -"), "a failed lookup: one failure, no address: " + lines.get(2));
    }

    @Test
    void aLookupLogLineSaysDnsAndHasNoPort() {
        ConnectionEvent lookup = Reporter.tagged(ConnectionEvent.builder().id(7).start(Instant.EPOCH), BILLING)
                .route(Route.DIRECT).protocol(Protocol.DNS).command(Command.RESOLVE)
                .lookup(new Lookup("api.example.com", List.of(LogLineTest.at("93.184.216.34", 0).getAddress())))
                .outcome(Outcome.OK).bytesUp(null).bytesDown(null).duration(Duration.ofMillis(4))
                .policy(Verdict.ALLOWED).build();
        assertEquals("socksbridge dns#7 RESOLVE api.example.com -> 93.184.216.34 ok 4ms route=direct "
                + "caller=com.acme.Billing.charge(Billing.java:87) thread=main", LogLine.format(lookup));
        assertTrue(EventJson.toJson(lookup).contains("\"target_port\":null"), EventJson.toJson(lookup));
    }
}
