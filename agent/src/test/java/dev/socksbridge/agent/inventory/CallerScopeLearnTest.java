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

/** learn-scope=caller: one allow= rule per calling class and destination, merged without dropping an entry. */
class CallerScopeLearnTest {

    @TempDir
    Path dir;

    private static EgressEvent connection(String host, int port, String caller, String outcome) {
        return new EgressEvent(1, 0, "proxy", "socks5", "connect", host, port, null, outcome, 0, 0, 1, "allowed",
                caller, "call", "X.java", 1, "main", null);
    }

    @Test
    void oneRulePerCallingClassAndDestinationGroupedByHost() {
        LearnedPolicy policy = new LearnedPolicy(LearnScope.CALLER);
        policy.add(connection("api.example.com", 443, "com.acme.billing.Charges", "ok"));
        policy.add(connection("api.example.com", 443, "com.acme.billing.Charges", "ok"));
        policy.add(connection("api.example.com", 443, "com.acme.Audit", "refused"));
        policy.add(connection("db.internal", 5432, null, "ok"));
        policy.add(connection("db.internal", 5432, "com.acme.Billing$$Lambda/0x000001", "ok"));
        String text = String.join("\n", PolicyFile.lines(policy));
        assertTrue(text.startsWith("# socksbridge learned egress policy (learn-scope=caller)."), text);
        assertTrue(text.contains("""
                # api.example.com
                # callers: com.acme.Audit=1; failed=1
                allow=com.acme.Audit -> api.example.com:443
                # callers: com.acme.billing.Charges=2
                allow=com.acme.billing.Charges -> api.example.com:443

                # db.internal
                # callers: com.acme.Billing=1
                allow=com.acme.Billing -> db.internal:5432
                # callers: unknown=1
                allow=db.internal:5432"""), text);
    }

    @Test
    void learningAgainAddsNewCallersAndKeepsEveryEntry() throws Exception {
        Path file = Files.writeString(dir.resolve("policy.conf"), """
                allow=api.example.com:443
                allow=com.acme.** -> kept.example:443
                # callers: com.acme.Billing=3
                allow=com.acme.Billing -> db.internal:5432
                """);
        LearnedPolicy learned = new LearnedPolicy(LearnScope.CALLER);
        learned.add(connection("db.internal", 5432, "com.acme.Billing", "ok"));
        learned.add(connection("db.internal", 5432, "com.acme.Reports", "ok"));
        PolicyFile.merge(learned, file);
        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.containsAll(List.of("allow=api.example.com:443", "allow=com.acme.** -> kept.example:443",
                "allow=com.acme.Reports -> db.internal:5432")), lines.toString());
        assertEquals("# callers: com.acme.Billing=4", lines.get(lines.indexOf("allow=com.acme.Billing -> db.internal:5432") - 1),
                lines.toString());
        assertEquals(4, lines.stream().filter(l -> l.startsWith("allow=")).count(), lines.toString());
    }

    @Test
    void aBadCallerRuleInTheLearnFileNamesFileAndLine() throws Exception {
        Path file = Files.writeString(dir.resolve("policy.conf"), "allow=a.example:1\nallow=com.acme.*.X -> b.example:2\n");
        InventoryException e = org.junit.jupiter.api.Assertions.assertThrows(InventoryException.class,
                () -> PolicyFile.readInto(file, new LearnedPolicy(LearnScope.CALLER)));
        assertTrue(e.getMessage().startsWith(file + ":2: allow entry 'com.acme.*.X -> b.example:2' (caller"), e.getMessage());
    }

    @Test
    void theOfflineCommandLearnsByCallerWithScope() throws Exception {
        Path events = Files.writeString(dir.resolve("a.jsonl"), SchemaLines.connection(1, 1_700_000_000_000L,
                "api.example.com", 443, "10.1.2.3:443", "ok", 512, 4096, 38, "allowed", "com.acme.Billing", 88, null) + "\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new InventoryCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run("learn", List.of(events.toString(), "--scope", "caller"));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("allow=com.acme.Billing -> api.example.com:443\n"),
                out.toString(StandardCharsets.UTF_8));

        int bad = new InventoryCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run("learn", List.of(events.toString(), "--scope", "package"));
        assertEquals(2, bad);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: " + InventoryCommand.USAGE_LEARN), err.toString());
    }
}
