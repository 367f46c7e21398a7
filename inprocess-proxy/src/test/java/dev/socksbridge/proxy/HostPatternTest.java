package dev.socksbridge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The grammar's own contract; the matching itself is covered where it is used (the agent's AccessRulesTest,
 * the JUnit extension's AllowOutboundPatternTest).
 */
class HostPatternTest {

    @ParameterizedTest(name = "{0} vs {1}:{2} -> {3}")
    @CsvSource({
        "db.internal:*,    db.internal,    1,     true",
        "' db.internal ',  DB.internal,    5432,  true",
        "*.internal,       10.0.0.1,       80,    false",
        "[fe80::/10]:443,  fe80::1%1,      443,   true",
        "localhost,        127.0.0.1,      80,    false",
    })
    void matches(String pattern, String host, int port, boolean expected) {
        assertEquals(expected, HostPattern.parse(pattern).matches(host, port));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "host:0        | port \"0\" is not * or 1-65535",
        "*.            | '*' is only allowed alone or as a leading '*.'",
        "a b.example   | a host name has no spaces",
        "::1:http      | an IPv6 literal with a port needs brackets",
        "10.0.0.0/33   | prefix length 33 is not 0-32",
    })
    void anErrorStartsWithTheQuotedEntryThenNamesTheProblemAndTheForms(String entry, String problem) {
        // callers (the agent's options, @AllowOutbound) rely on the message starting with 'entry'
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPattern.parse(entry));
        assertTrue(e.getMessage().startsWith("'" + entry + "' (" + problem), e.getMessage());
        assertTrue(e.getMessage().contains("expected: host, host:port or host:*"), e.getMessage());
    }
}
