package dev.socksbridge.agent.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The learned policy file: grouped allow= lines with callers, merged on re-learning, never losing an entry. */
class PolicyFileTest {

    @TempDir
    Path dir;

    private static EgressEvent connection(String host, int port, String caller, String outcome, String policy) {
        return new EgressEvent(1, 0, "proxy", "socks5", "connect", host, port, null, outcome, 0, 0, 1, policy,
                caller, "call", "X.java", 1, "main", null);
    }


    @Test
    void destinationsAreGroupedByHostWithTheirCallersAndCounts() {
        LearnedPolicy policy = new LearnedPolicy();
        policy.add(connection("api.example.com", 443, "com.acme.Billing", "ok", "allowed"));
        policy.add(connection("api.example.com", 443, "com.acme.Billing", "ok", "allowed"));
        policy.add(connection("api.example.com", 8443, "com.acme.Audit", "refused", "allowed"));
        policy.add(connection("db.internal", 5432, null, "ok", "would-deny"));
        policy.add(connection("evil.example", 443, "com.acme.Billing", "denied", "denied"));
        policy.add(new EgressEvent(2, 0, "direct", "dns", "resolve", "api.example.com", -1, "10.0.0.1", "ok", -1, -1,
                1, "allowed", null, null, null, -1, "main", null));
        String text = String.join("\n", PolicyFile.lines(policy));
        assertTrue(text.contains("""
                # api.example.com
                # callers: com.acme.Billing=2
                allow=api.example.com:443
                # callers: com.acme.Audit=1; failed=1
                allow=api.example.com:8443

                # db.internal
                # callers: unknown=1
                allow=db.internal:5432"""), text);
        assertTrue(!text.contains("evil.example"), "a denied connection is not learned\n" + text);
        assertEquals(1, policy.connectionsDenied());
        assertEquals(4, policy.connectionsLearned());
    }

    @Test
    void learningAgainMergesCountsAndKeepsEveryEntryAndOtherSetting() throws Exception {
        Path file = dir.resolve("policy.conf");
        Files.writeString(file, """
                # written by hand
                deny=10.0.0.0/8
                allow=*.cdn.example|legacy.example:21
                # callers: com.acme.Billing=5; failed=2
                allow=api.example.com:443
                """);
        LearnedPolicy merged = new LearnedPolicy();
        PolicyFile.readInto(file, merged);
        LearnedPolicy run = new LearnedPolicy();
        run.add(connection("api.example.com", 443, "com.acme.Billing", "ok", "allowed"));
        run.add(connection("new.example", 80, "com.acme.Audit", "ok", "allowed"));
        run.mergeInto(merged);
        PolicyFile.write(merged, file);

        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.contains("deny=10.0.0.0/8"), lines.toString());
        assertTrue(lines.contains("allow=*.cdn.example"), lines.toString());
        assertTrue(lines.contains("allow=legacy.example:21"), lines.toString());
        assertTrue(lines.contains("allow=new.example:80"), lines.toString());
        int api = lines.indexOf("allow=api.example.com:443");
        assertEquals("# callers: com.acme.Billing=6; failed=2", lines.get(api - 1), lines.toString());

        // and once more: nothing new, nothing lost, nothing counted twice
        LearnedPolicy again = new LearnedPolicy();
        PolicyFile.readInto(file, again);
        PolicyFile.write(again, file);
        assertEquals(lines.stream().filter(l -> !l.contains("Updated")).toList(),
                Files.readAllLines(file).stream().filter(l -> !l.contains("Updated")).toList());
    }

    @Test
    void aMalformedLineIsAnErrorNamingTheFileAndLine() throws Exception {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "# ok\nallow=api.example.com:443\nthis is not a setting\n");
        InventoryException e = assertThrows(InventoryException.class, () -> PolicyFile.readInto(file, new LearnedPolicy()));
        assertTrue(e.getMessage().startsWith(file + ":3: 'this is not a setting' (expected: key=value"), e.getMessage());

        Files.writeString(file, "allow=api.*.com\n");
        e = assertThrows(InventoryException.class, () -> PolicyFile.readInto(file, new LearnedPolicy()));
        assertTrue(e.getMessage().startsWith(file + ":1: allow entry 'api.*.com'"), e.getMessage());

        Files.writeString(file, "# callers: com.acme.A=many\nallow=a.example:1\n");
        e = assertThrows(InventoryException.class, () -> PolicyFile.readInto(file, new LearnedPolicy()));
        assertTrue(e.getMessage().startsWith(file + ":2: callers comment item 'com.acme.A=many'"), e.getMessage());
    }

    @Test
    void anUnreadableFileIsAnErrorNamingIt() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        InventoryException e = assertThrows(InventoryException.class,
                () -> PolicyFile.readInto(directory, new LearnedPolicy()));
        assertTrue(e.getMessage().startsWith(directory + ": cannot read the policy file"), e.getMessage());
    }
}
