package dev.socksbridge.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessRulesTest {

    @ParameterizedTest(name = "{0} vs {1}:{2} -> {3}")
    @CsvSource({
        "*,                 anything.at.all,   80,  true",
        "*.example.com,     api.example.com,   443, true",
        "*.example.com,     a.b.example.com,   443, true",
        "*.example.com,     API.Example.COM,   443, true",
        "*.example.com,     example.com,       443, false",
        "*.example.com,     badexample.com,    443, false",
        "api.example.com,   api.example.com,   1,   true",
        "api.example.com,   www.example.com,   1,   false",
        "api.example.com:443, api.example.com, 443, true",
        "api.example.com:443, api.example.com, 80,  false",
        "*.example.com:8443,  x.example.com,   8443, true",
        "10.0.0.0/8,        10.1.2.3,          22,  true",
        "10.0.0.0/8,        11.1.2.3,          22,  false",
        "10.0.0.0/8,        ten.example.com,   22,  false",
        "192.168.1.0/24:5432, 192.168.1.77,    5432, true",
        "192.168.1.0/24:5432, 192.168.1.77,    5433, false",
        "0.0.0.0/0,         8.8.8.8,           53,  true",
        "127.0.0.1,         127.0.0.1,         80,  true",
        "fd00::/8,          fd12:3456::1,      443, true",
        "fd00::/8,          fe80::1,           443, false",
        "fd00::/8,          10.0.0.1,          443, false",
        "[::1]:8080,        ::1,               8080, true",
        "[::1]:8080,        0:0:0:0:0:0:0:1,   8080, true",
        "[::1]:8080,        ::1,               8081, false",
        "2001:db8::/32,     2001:db8:1::5,     80,  true",
        "api.example.com:*, api.example.com,   1,   true",
        "*.1,               10.0.0.1,          80,  false",
    })
    void patternsMatch(String pattern, String host, int port, boolean expected) {
        assertEquals(expected, AccessRules.rule("allow", pattern).matches(null, host, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"api.*.com", "*example.com", "10.0.0.0/33", "10.0.0.0/x", "host:0", "host:99999",
        "[::1", "[::1]x", "fd00::/129", ":443"})
    void badPatternsNameTheOptionAndTheEntry(String pattern) {
        AgentOptionsException e = assertThrows(AgentOptionsException.class, () -> AccessRules.rule("deny", pattern));
        assertTrue(e.getMessage().startsWith("socksbridge: option deny entry '" + pattern + "'"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "api.example.com,  443, true",
        "evil.example.com, 443, false",
        "db.internal,      5432, true",
        "db.internal,      5433, false",
        "10.9.8.7,         22,  true",
        "10.6.6.6,         22,  false",
        "elsewhere.org,    443, false",
    })
    void denyWinsOverAllowAndAnAllowListDeniesTheRest(String host, int port, boolean permitted) {
        AccessRules rules = AccessRules.of(List.of("*.example.com", "db.internal:5432", "10.0.0.0/8"),
                List.of("evil.example.com", "10.6.0.0/16"));
        assertEquals(permitted, rules.permits(List.of(host), port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"anything.example", "10.0.0.1"})
    void withoutRulesEverythingIsPermitted(String host) {
        AccessRules rules = AccessRules.of(List.of(), List.of());
        assertTrue(rules.isEmpty());
        assertTrue(rules.permits(List.of(host), 443));
    }

    @Test
    void aRuleMatchingAnyNameOfTheDestinationApplies() {
        AccessRules rules = AccessRules.of(List.of(), List.of("*.blocked.example"));
        // the app named the host; the JDK sent the proxy its address
        assertFalse(rules.permits(List.of("93.184.216.34", "api.blocked.example"), 443));
    }

    private static AccessRules.Decision decide(AccessRules rules, String caller, String host, int port) {
        return rules.decide(caller, caller == null ? "unknown" : caller, List.of(host), port);
    }

    @Test
    void aCallerRuleAllowsItsCallersOnlyAndTheRefusalNamesTheMissingRule() {
        AccessRules rules = AccessRules.of(List.of("com.acme.billing.** -> api.payments.example:443", "db.internal:5432"),
                List.of());
        assertTrue(decide(rules, "com.acme.billing.Charges", "api.payments.example", 443).permitted());
        assertEquals(new AccessRules.Decision(false, "no allow rule for com.acme.Reports -> api.payments.example:443"),
                decide(rules, "com.acme.Reports", "api.payments.example", 443));
        assertEquals(new AccessRules.Decision(false, "no allow rule for unknown -> api.payments.example:443"),
                decide(rules, null, "api.payments.example", 443), "an unknown caller is not covered by a caller rule");
        assertTrue(decide(rules, "com.acme.Reports", "db.internal", 5432).permitted(), "a rule without caller: anyone");
        assertTrue(decide(rules, null, "db.internal", 5432).permitted());
        assertEquals("no allow rule for com.acme.Reports -> [::1]:8080",
                decide(rules, "com.acme.Reports", "::1", 8080).reason());
    }

    @Test
    void aCallerDenyRuleWinsOverAnAllowRuleAndIsNamed() {
        AccessRules rules = AccessRules.of(List.of("*.example.com"), List.of("com.acme.Reports -> *"));
        assertTrue(decide(rules, "com.acme.Billing", "api.example.com", 443).permitted());
        assertEquals(new AccessRules.Decision(false, "deny rule com.acme.Reports -> * covers com.acme.Reports$1 -> api.example.com:443"),
                decide(rules, "com.acme.Reports$1", "api.example.com", 443));
        assertTrue(decide(rules, null, "api.example.com", 443).permitted(), "an unknown caller is not that caller");
    }

    @Test
    void destinationRulesMeanWhatTheyAlwaysMeantForEveryCaller() {
        AccessRules rules = AccessRules.of(List.of("*.example.com"), List.of("evil.example.com"));
        for (String caller : new String[] {"com.acme.Billing", null}) {
            assertTrue(decide(rules, caller, "api.example.com", 443).permitted());
            assertEquals("deny rule evil.example.com covers " + (caller == null ? "unknown" : caller)
                    + " -> evil.example.com:443", decide(rules, caller, "evil.example.com", 443).reason());
            assertFalse(decide(rules, caller, "elsewhere.org", 443).permitted());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"allow", "deny"})
    void aBadCallerRuleInTheArgumentNamesTheOption(String key) {
        AgentOptionsException e = assertThrows(AgentOptionsException.class,
                () -> AgentOptions.parse(key + "=com.acme.*.x->api.example.com"));
        assertTrue(e.getMessage().startsWith("socksbridge: option " + key + " entry 'com.acme.*.x->api.example.com'"
                + " (caller 'com.acme.*.x' is not a class or package name"), e.getMessage());
    }

    @Test
    void aBadCallerRuleInAConfigFileNamesTheFileAndLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("policy.conf"),
                "# policy\nallow=com.acme.Billing -> api.example.com:443\nallow=db.internal:5432|com.acme. -> x:1\n");
        AgentOptionsException e = assertThrows(AgentOptionsException.class, () -> AgentOptions.parse("config=" + file));
        assertTrue(e.getMessage().startsWith("socksbridge: option allow entry 'com.acme. -> x:1' (caller 'com.acme.'"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(" in " + file + " line 3"), e.getMessage());
    }

    @Test
    void callerRulesMayBeRepeatedInAConfigFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("policy.conf"),
                "allow=com.acme.Billing -> api.example.com:443\nallow=com.acme.billing.** -> db.internal:5432\n"
                + "deny=com.acme.Reports -> *\n");
        AgentOptions options = AgentOptions.parse("mode=enforce,config=" + file);
        assertEquals(List.of("com.acme.Billing -> api.example.com:443", "com.acme.billing.** -> db.internal:5432"),
                options.allow());
        assertEquals(List.of("com.acme.Reports -> *"), options.deny());
    }
}
