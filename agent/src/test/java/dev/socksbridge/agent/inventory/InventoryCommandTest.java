package dev.socksbridge.agent.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code learn} and {@code report} offline: bad input is counted or named, never a crash. */
class InventoryCommandTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new InventoryCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(command, List.of(args));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path events(String name, String... extraLines) throws Exception {
        StringBuilder text = new StringBuilder();
        text.append(SchemaLines.connection(1, 1_700_000_000_000L, "api.example.com", 443, "10.1.2.3:443", "ok", 512, 4096,
                38, "allowed", "com.acme.Billing", 88, null)).append('\n');
        for (String line : extraLines) {
            text.append(line).append('\n');
        }
        text.append(SchemaLines.connection(2, 1_700_000_000_001L, "db.internal", 5432, null, "refused", 0, 0, 3,
                "allowed", "com.acme.Billing", 90, "ConnectException")).append('\n');
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void learnFromManyFilesSkipsCorruptLinesWithACount() throws Exception {
        Path a = events("a.jsonl", "{\"id\": 3, trunc");
        Path b = events("b.jsonl");
        Run run = run("learn", a.toString(), b.toString());
        assertEquals(0, run.code, run.err);
        assertTrue(run.err.contains("4 events from 2 file(s); 1 unreadable line(s) skipped (first: " + a + ":2: "), run.err);
        assertTrue(run.out.contains("# callers: com.acme.Billing=2\nallow=api.example.com:443\n"), run.out);
        assertTrue(run.out.contains("# callers: com.acme.Billing=2; failed=2\nallow=db.internal:5432\n"), run.out);
    }

    @Test
    void learnIntoAFileMergesWithIt() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.conf"), "allow=legacy.example:21\n");
        Run run = run("learn", events("a.jsonl").toString(), "-o", policy.toString());
        assertEquals(0, run.code, run.err);
        List<String> lines = Files.readAllLines(policy);
        assertTrue(lines.containsAll(List.of("allow=legacy.example:21", "allow=api.example.com:443",
                "allow=db.internal:5432")), lines.toString());
    }

    @Test
    void aMalformedPolicyFileIsAnErrorNamingFileAndLineAndIsLeftAsItWas() throws Exception {
        String text = "allow=ok.example:1\n\nallow=bad pattern here\n";
        Path policy = Files.writeString(dir.resolve("policy.conf"), text);
        Run run = run("learn", events("a.jsonl").toString(), "-o", policy.toString());
        assertEquals(1, run.code);
        assertTrue(run.err.contains("socksbridge learn: " + policy + ":3: allow entry 'bad pattern here'"), run.err);
        assertEquals(text, Files.readString(policy));
    }

    @Test
    void aMissingEventsFileIsAnErrorNamingIt() {
        Path missing = dir.resolve("missing.jsonl");
        Run run = run("report", missing.toString(), "-o", dir.resolve("r.html").toString());
        assertEquals(1, run.code);
        assertTrue(run.err.contains("socksbridge report: " + missing + ": cannot read the events file"), run.err);
    }

    @Test
    void reportWritesOneSelfContainedPage() throws Exception {
        Path html = dir.resolve("report.html");
        Run run = run("report", events("a.jsonl", "garbage").toString(), "-o", html.toString());
        assertEquals(0, run.code, run.err);
        String page = Files.readString(html);
        assertTrue(page.contains("\"dest\":\"api.example.com:443\""), "the data is in the page");
        assertTrue(page.contains("\"skipped\":1"), "the page says a line was skipped");
        for (String external : List.of("src=\"http", "href=\"http", "<link", "@import", "fetch(", "XMLHttpRequest")) {
            assertTrue(!page.contains(external), "nothing is loaded from elsewhere: " + external);
        }
    }

    @Test
    void reportWithoutAnOutputIsAUsageError() throws Exception {
        Run run = run("report", events("a.jsonl").toString());
        assertEquals(2, run.code);
        assertTrue(run.err.contains("usage: java -jar socksbridge-agent.jar report EVENTS.jsonl... -o REPORT.html"), run.err);
    }
}
