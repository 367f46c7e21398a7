package dev.socksbridge.agent.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The at-exit path: records handed over during the run end up in the learn= and report= files. */
class InventoryHookTest {

    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        InventoryHook.reset();
    }

    @Test
    void recordsOfTheRunAreLearnedAndReportedAtExit() throws Exception {
        Path learn = Files.writeString(dir.resolve("learned.conf"), "allow=kept.example:1\n");
        Path report = dir.resolve("report.html");
        InventoryHook.start(learn.toString(), report.toString());
        InventoryHook.record(EventsReaderTest.record(1, "api.example.com", 443, "ok", "allowed"));
        InventoryHook.record(EventsReaderTest.record(2, "api.example.com", 443, "ok", "allowed"));
        InventoryHook.record(EventsReaderTest.record(3, "blocked.example", 443, "denied", "denied"));
        InventoryHook.finish();

        List<String> policy = Files.readAllLines(learn);
        assertTrue(policy.contains("allow=kept.example:1"), policy.toString());
        int api = policy.indexOf("allow=api.example.com:443");
        assertEquals("# callers: com.acme.Billing=2", policy.get(api - 1), policy.toString());
        assertTrue(policy.stream().noneMatch(l -> l.contains("blocked.example")), policy.toString());
        String page = Files.readString(report);
        assertTrue(page.contains("\"dest\":\"api.example.com:443\",\"kind\":\"tcp\",\"conns\":2"), page);
        assertTrue(page.contains("\"dest\":\"blocked.example:443\",\"kind\":\"tcp\",\"conns\":1,\"failed\":0,\"denied\":1"), page);
    }

    @Test
    void aFileInADirectoryThatDoesNotExistIsRefusedAtStart() {
        String report = dir.resolve("no-such-dir").resolve("report.html").toString();
        InventoryException e = assertThrows(InventoryException.class, () -> InventoryHook.start(null, report));
        assertEquals("option report=" + report + ": cannot be written at exit (expected: a file in an existing,"
                + " writable directory)", e.getMessage());
    }

    @Test
    void aMalformedLearnFileIsRefusedAtStartNamingOptionFileAndLine() throws Exception {
        Path learn = Files.writeString(dir.resolve("learned.conf"), "allow=a.example:1\nallow=api.*.com\n");
        InventoryException e = assertThrows(InventoryException.class, () -> InventoryHook.start(learn.toString(), null));
        assertTrue(e.getMessage().startsWith("option learn=" + learn + ": " + learn + ":2: allow entry"), e.getMessage());
    }
}
