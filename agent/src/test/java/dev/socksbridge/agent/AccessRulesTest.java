package dev.socksbridge.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
        assertEquals(expected, AccessRules.pattern("allow", pattern).matches(host, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"api.*.com", "*example.com", "10.0.0.0/33", "10.0.0.0/x", "host:0", "host:99999",
        "[::1", "[::1]x", "fd00::/129", ":443"})
    void badPatternsNameTheOptionAndTheEntry(String pattern) {
        AgentOptionsException e = assertThrows(AgentOptionsException.class, () -> AccessRules.pattern("deny", pattern));
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

    @org.junit.jupiter.api.Test
    void aRuleMatchingAnyNameOfTheDestinationApplies() {
        AccessRules rules = AccessRules.of(List.of(), List.of("*.blocked.example"));
        // the app named the host; the JDK sent the proxy its address
        assertFalse(rules.permits(List.of("93.184.216.34", "api.blocked.example"), 443));
    }
}
