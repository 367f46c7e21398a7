package dev.socksbridge.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.agent.bootstrap.CallerTag;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The route a proxied connection took, in the log line, the events object and the exit summary. */
class RouteReportTest {

    private static ConnectionRecord viaUpstream(long id, String via) {
        return new ConnectionRecord(id, 0, "proxy", "socks5", "connect", "api.corp.example", 443, "127.0.0.1:1080",
                "ok", 0, 10, 20, 5, ConnectionRecord.ALLOWED, (CallerTag) null, null, via);
    }

    @Test
    void theLogLineNamesARouteOtherThanDirect() {
        String line = LogLine.format(viaUpstream(1, "socks5://alice@127.0.0.1:1080 http://127.0.0.1:3128"));
        assertTrue(line.contains(" via=\"socks5://alice@127.0.0.1:1080 http://127.0.0.1:3128\" "), line);
        assertFalse(LogLine.format(viaUpstream(2, "direct")).contains("via="));
    }

    @Test
    void theEventsObjectCarriesVia() {
        assertTrue(JsonLine.format(viaUpstream(1, "block")).endsWith(",\"via\":\"block\"}"));
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
