package dev.socksbridge.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.agent.inventory.EgressEvent;
import dev.socksbridge.agent.inventory.LearnScope;
import dev.socksbridge.agent.inventory.LearnedPolicy;
import dev.socksbridge.agent.inventory.PolicyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A learned policy file is a config= file: its allow= lines become the allow list, one per line. */
class LearnedPolicyConfigTest {

    @TempDir
    Path dir;

    private static EgressEvent connection(String host, int port) {
        return new EgressEvent(1, 0, "proxy", "socks5", "connect", host, port, null, "ok", 0, 0, 1, "allowed",
                "com.acme.Billing", "call", "Billing.java", 1, "main", null);
    }

    @Test
    void theLearnedFileIsAnAllowListForEnforceMode() throws Exception {
        LearnedPolicy policy = new LearnedPolicy();
        policy.add(connection("api.example.com", 443));
        policy.add(connection("db.internal", 5432));
        policy.add(connection("::1", 8080));
        Path file = dir.resolve("learned.conf");
        PolicyFile.write(policy, file);

        AgentOptions options = AgentOptions.parse("mode=enforce,config=" + file);
        assertEquals(AgentOptions.Mode.ENFORCE, options.mode());
        assertEquals(List.of("[::1]:8080", "api.example.com:443", "db.internal:5432"), options.allow());
        AccessRules rules = AccessRules.of(options.allow(), options.deny());
        assertTrue(rules.permits(List.of("api.example.com"), 443));
        assertTrue(rules.permits(List.of("::1"), 8080));
        assertFalse(rules.permits(List.of("api.example.com"), 8443), "another port is a new destination");
        assertFalse(rules.permits(List.of("new.example.com"), 443), "a new host is refused");
    }

    @Test
    void aBadLineInAConfigFileNamesTheFileAndLine() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.conf"), "# learned\nallow=a.example:1\nallow=b.example:2\nbogus\n");
        AgentOptionsException e = assertThrows(AgentOptionsException.class,
                () -> AgentOptions.parse("config=" + file));
        assertTrue(e.getMessage().endsWith(" in " + file + " line 4"), e.getMessage());
        assertTrue(e.getMessage().contains("option 'bogus': expected key=value"), e.getMessage());
    }

    @Test
    void learnScopeIsDestinationOrCaller() {
        assertEquals(LearnScope.DESTINATION, AgentOptions.defaults().learnScope());
        assertEquals(LearnScope.DESTINATION, AgentOptions.parse("learn-scope=destination").learnScope());
        assertEquals(LearnScope.CALLER, AgentOptions.parse("learn-scope=caller").learnScope());
        AgentOptionsException e = assertThrows(AgentOptionsException.class,
                () -> AgentOptions.parse("learn-scope=package"));
        assertEquals("socksbridge: option learn-scope=package (expected: destination or caller)", e.getMessage());
    }

    @Test
    void aLearnedCallerScopedFileIsReadAsCallerRules() throws Exception {
        LearnedPolicy policy = new LearnedPolicy(LearnScope.CALLER);
        policy.add(connection("api.example.com", 443));
        Path file = dir.resolve("learned.conf");
        PolicyFile.write(policy, file);

        AgentOptions options = AgentOptions.parse("mode=enforce,config=" + file);
        assertEquals(List.of("com.acme.Billing -> api.example.com:443"), options.allow());
        AccessRules rules = AccessRules.of(options.allow(), options.deny());
        assertTrue(rules.decide("com.acme.Billing", "com.acme.Billing", List.of("api.example.com"), 443).permitted());
        assertEquals(new AccessRules.Decision(false, "no allow rule for com.acme.Reports -> api.example.com:443"),
                rules.decide("com.acme.Reports", "com.acme.Reports", List.of("api.example.com"), 443));
    }
}
