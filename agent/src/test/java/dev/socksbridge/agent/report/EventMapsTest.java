package dev.socksbridge.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.socksbridge.agent.bootstrap.CallerTag;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EventMapsTest {

    private static final CallerTag TAG = new CallerTag("com.acme.Billing", "charge", "Billing.java", 88, "main", false,
            "api.example.com", 443, 1_700_000_000_000L, 0L);
    private static final ConnectionRecord RECORD = new ConnectionRecord(12, 1_700_000_000_000L, "proxy", "socks5",
            "connect", "api.example.com", 443, "93.184.216.34:443", "ok", 0, 512, 4200, 38, "allowed", TAG, null);

    private static List<String> jsonKeys(String json) {
        List<String> keys = new ArrayList<>();
        Matcher m = Pattern.compile("[{,]\"([a-z_]+)\":").matcher(json);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    @Test
    void aFinishedMapHasTheJsonLineKeysAndValuesPlusTheSession() {
        Map<String, Object> map = EventMaps.finished(RECORD, 7L);
        List<String> expected = new ArrayList<>(jsonKeys(JsonLine.format(RECORD)));
        expected.add("session");
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
    void anOpenMapHasTheSameKeysWithOutcomeOpen() {
        Map<String, Object> open = EventMaps.opened(7L, TAG);
        Set<String> keys = new HashSet<>(EventMaps.finished(RECORD, 7L).keySet());
        assertEquals(keys, open.keySet());
        assertEquals("open", open.get("outcome"));
        assertEquals("api.example.com", open.get("target_host"));
        assertEquals("main", open.get("thread"));
        assertNull(open.get("id"));
        assertEquals(7L, open.get("session"));
    }
}
