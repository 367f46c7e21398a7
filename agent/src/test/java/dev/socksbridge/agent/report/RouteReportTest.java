package dev.socksbridge.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.EventJson;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Protocol;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The route a proxied connection took, in the log line, the events object and the exit summary. */
class RouteReportTest {

    private static ConnectionEvent viaUpstream(long id, String via) {
        return ConnectionEvent.builder().id(id).start(Instant.EPOCH).protocol(Protocol.SOCKS5).command(Command.CONNECT)
                .destination(new Destination("api.corp.example", 443)).reached(new InetSocketAddress("127.0.0.1", 1080))
                .outcome(Outcome.OK).replyCode(0).bytesUp(10L).bytesDown(20L).duration(Duration.ofMillis(5))
                .policy(ConnectionEvent.Verdict.ALLOWED).via(via).build();
    }

    @Test
    void theLogLineNamesARouteOtherThanDirect() {
        String line = LogLine.format(viaUpstream(1, "socks5://alice@127.0.0.1:1080 http://127.0.0.1:3128"));
        assertTrue(line.contains(" via=\"socks5://alice@127.0.0.1:1080 http://127.0.0.1:3128\" "), line);
        assertFalse(LogLine.format(viaUpstream(2, "direct")).contains("via="));
    }

    @Test
    void theEventsObjectCarriesVia() {
        String json = EventJson.toJson(viaUpstream(1, "block"));
        assertTrue(json.contains(",\"via\":\"block\",\"faults\":null,"), json);
    }

    @Test
    void theSummaryListsTheRoutesEachDestinationTook() {
        Summary summary = new Summary();
        summary.add(viaUpstream(1, "socks5://127.0.0.1:1080"));
        summary.add(viaUpstream(2, "127.0.0.1:8443"));
        summary.add(viaUpstream(3, "socks5://127.0.0.1:1080"));
        List<String> lines = summary.lines();
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).endsWith("  via=\"socks5://127.0.0.1:1080\" \"127.0.0.1:8443\""), lines.get(1));
    }
}
