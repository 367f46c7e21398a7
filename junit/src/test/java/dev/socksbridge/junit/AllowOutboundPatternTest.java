package dev.socksbridge.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link AllowOutbound} entries: the shared HostPattern grammar, matched against every name of a connection. */
class AllowOutboundPatternTest {

    private static boolean matches(String pattern, RecordedConnection connection) {
        return RecordedConnections.matches(RecordedConnections.pattern(pattern), connection);
    }

    @ParameterizedTest(name = "{0} matches {1}:{2} = {3}")
    @CsvSource({
        "api.example.com:443, api.example.com, 443, true",
        "API.Example.com:443, api.example.COM, 443, true",
        "api.example.com:443, api.example.com, 80, false",
        "api.example.com, api.example.com, 8443, true",
        "api.example.com:*, api.example.com, 1, true",
        "api.example.com, www.example.com, 443, false",
        "*.internal, db.internal, 5432, true",
        "*.internal, a.b.internal, 5432, true",
        "*.internal, internal, 5432, false",
        "*.internal, notinternal, 5432, false",
        "*, anything.example, 1, true",
        "*:443, anything.example, 443, true",
        "*:443, anything.example, 80, false",
        "10.0.0.0/8, 10.20.30.40, 80, true",
        "10.0.0.0/8, 11.0.0.1, 80, false",
        "192.168.1.0/25:22, 192.168.1.127, 22, true",
        "192.168.1.0/25:22, 192.168.1.128, 22, false",
        "10.1.2.3, 10.1.2.3, 9, true",
        "[::1]:8080, ::1, 8080, true",
        "[::1]:8080, 0:0:0:0:0:0:0:1, 8080, true",
        "::1, ::1, 1, true",
        "fd00::/8, fd12::1, 1, true",
        "localhost:*, localhost, 1234, true",
        "localhost:*, 127.0.0.1, 1234, true",
        "localhost:*, 127.3.4.5, 1234, true",
        "localhost:*, ::1, 1234, true",
        "localhost:*, 10.0.0.1, 1234, false",
        "127.0.0.1, localhost, 1234, false",
    })
    void matchesTheNamedDestination(String pattern, String host, int port, boolean expected) {
        assertEquals(expected, matches(pattern, Connections.to(host, port)));
    }

    @Test
    void aNameMatchesWhateverAddressTheCodeResolvedItTo() {
        RecordedConnection resolvedByTheJdk = Connections.to("db.internal", "10.9.8.7", "10.9.8.7", 5432);
        assertTrue(matches("db.internal:5432", resolvedByTheJdk));
        assertTrue(matches("10.9.8.7:5432", resolvedByTheJdk));
        assertTrue(matches("10.0.0.0/8", resolvedByTheJdk));
        assertFalse(matches("other.internal", resolvedByTheJdk));
    }

    @Test
    void anIpPatternMatchesTheAddressReached() {
        RecordedConnection nameSentToTheProxy = Connections.to("db.internal", "db.internal", "10.9.8.7", 5432);
        assertTrue(matches("10.9.8.7", nameSentToTheProxy));
        assertTrue(matches("*.internal:5432", nameSentToTheProxy));
    }

    @Test
    void aSuffixNeverMatchesAnIpLiteral() {
        assertFalse(matches("*.1", Connections.to("10.0.0.1", 80)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "host:", "host:http", "host:70000", "::1:80x", "a*b.example", "10.0.0.0/33",
        "nothost/8", "[::1", "[::1]x"})
    void rejectsMalformedEntriesNamingThemAndTheAcceptedForms(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordedConnections.pattern(entry));
        assertTrue(e.getMessage().startsWith("@AllowOutbound: \"" + entry + "\""), e.getMessage());
        assertTrue(e.getMessage().contains("expected: host, host:port or host:*"), e.getMessage());
    }

    @Test
    void printsAsWritten() {
        assertEquals("*.internal:5432", RecordedConnections.pattern("*.internal:5432").toString());
    }
}
