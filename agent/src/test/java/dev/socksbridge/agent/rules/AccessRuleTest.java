package dev.socksbridge.agent.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessRuleTest {

    @ParameterizedTest(name = "{0} vs {1}")
    @CsvSource({
        "com.acme.Billing,        com.acme.Billing,              true",
        "com.acme.Billing,        com.acme.Billing$Retry,        true",
        "com.acme.Billing,        com.acme.Billing$1,            true",
        "com.acme.Billing,        com.acme.BillingService,       false",
        "com.acme.Billing,        com.acme.billing.Charges,      false",
        "com.acme.Billing,        com.acme,                      false",
        "com.acme.billing.*,      com.acme.billing.Charges,      true",
        "com.acme.billing.*,      com.acme.billing.Charges$1,    true",
        "com.acme.billing.*,      com.acme.billing.sub.Charges,  false",
        "com.acme.billing.*,      com.acme.billingx.Charges,     false",
        "com.acme.billing.*,      com.acme.Billing,              false",
        "com.acme.billing.**,     com.acme.billing.Charges,      true",
        "com.acme.billing.**,     com.acme.billing.sub.deep.X,   true",
        "com.acme.billing.**,     com.acme.billingx.Charges,     false",
        "com.acme.billing.**,     com.acme.Reports,              false",
    })
    void callerPatternsMatchClassNames(String pattern, String callerClass, boolean expected) {
        assertEquals(expected, CallerPattern.parse(pattern).matches(callerClass));
    }

    @Test
    void anUnknownCallerMatchesNoCallerPattern() {
        assertFalse(CallerPattern.parse("com.acme.**").matches(null));
        assertFalse(AccessRule.parse("com.acme.** -> *").matches(null, "api.example.com", 443));
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}:{3}")
    @CsvSource({
        "com.acme.billing.** -> api.payments.example:443, com.acme.billing.Charges, api.payments.example, 443, true",
        "com.acme.billing.** -> api.payments.example:443, com.acme.Reports,         api.payments.example, 443, false",
        "com.acme.billing.** -> api.payments.example:443, com.acme.billing.Charges, api.payments.example, 80,  false",
        "com.acme.billing.** -> api.payments.example:443, com.acme.billing.Charges, other.example,        443, false",
        "com.acme.Billing->*.example.com,                 com.acme.Billing,         a.example.com,        1,   true",
        "com.acme.Billing   ->   10.0.0.0/8:5432,         com.acme.Billing,         10.1.2.3,             5432, true",
        "com.acme.Billing -> [::1]:8080,                  com.acme.Billing,         ::1,                  8080, true",
        "api.payments.example:443,                         com.acme.Reports,         api.payments.example, 443, true",
    })
    void aRuleCoversItsCallersAndItsDestination(String rule, String caller, String host, int port, boolean expected) {
        assertEquals(expected, AccessRule.parse(rule).matches(caller, host, port));
    }

    @Test
    void aRuleWithoutCallerIsForAnyCallerEvenAnUnknownOne() {
        AccessRule rule = AccessRule.parse("api.example.com:443");
        assertFalse(rule.scopedByCaller());
        assertTrue(rule.matches(null, "api.example.com", 443));
        assertTrue(AccessRule.parse("a.B -> api.example.com").scopedByCaller());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "com.acme.*.Billing -> api.example.com; (caller 'com.acme.*.Billing' is not a class or package name ('*' and '**' only as the last part); expected: a class (com.acme.Billing)",
        "-> api.example.com; (empty caller; expected: a class",
        "com.acme. -> api.example.com; (caller 'com.acme.' is not a class or package name; expected",
        "com.acme.** -> ; (destination '' (empty entry;",
        "com.acme.** -> api.*.com; (destination 'api.*.com' ('*' is only allowed alone or as a leading '*.'",
        "a.B -> c.D -> api.example.com; (more than one '->'",
        "com acme -> api.example.com; (caller 'com acme' is not a class or package name",
        "1com.Acme -> x; (caller '1com.Acme' is not",
        "** -> api.example.com; (caller '**' is not a class or package name",
    })
    void aBadRuleSaysWhatIsWrongAndWhatWasExpected(String rule, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccessRule.parse(rule));
        assertTrue(e.getMessage().startsWith("'" + rule.trim() + "' " + expected), e.getMessage());
    }

    @Test
    void learnedRulesAreWrittenInTheGrammarTheyAreReadIn() {
        String text = AccessRule.text("com.acme.Billing", "api.example.com:443");
        assertEquals("com.acme.Billing -> api.example.com:443", text);
        assertEquals(text, AccessRule.parse(text).toString());
    }
}
