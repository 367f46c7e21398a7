package dev.socksbridge.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.Socks5Server;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyOptionsTest {

    @Test
    void defaults() throws Exception {
        ProxyOptions options = ProxyOptions.parse();
        assertEquals(InetAddress.getLoopbackAddress(), options.bind());
        assertEquals(1080, options.port());
        assertNull(options.user());
        assertEquals(Duration.ofSeconds(10), options.handshakeTimeout());
        assertEquals(Duration.ofSeconds(10), options.connectTimeout());
        assertEquals(Duration.ZERO, options.idleTimeout());
        assertEquals(Duration.ofSeconds(60), options.bindTimeout());
        assertEquals(16_384, options.maxSessions());
        assertFalse(options.help());
    }

    @Test
    void faultIsRepeatableAndReachesTheServersTable() throws Exception {
        ProxyOptions options = ProxyOptions.parse("--fault", "*.example.com:443->latency latency=200",
                "--fault", "*->bandwidth rate=256");
        assertEquals(2, options.faults().size());
        assertEquals(options.faults(), ProxyMain.build(options).faults().list());
        assertTrue(ProxyMain.build(ProxyOptions.parse()).faults().isEmpty());
        UsageException bad = assertThrows(UsageException.class, () -> ProxyOptions.parse("--fault", "*->latency latency=-1"));
        assertEquals("--fault: fault '*->latency latency=-1': latency=-1 (expected: an integer 0-2147483647)",
                bad.getMessage());
    }

    /** The CLI repeats the builder's defaults (for its --help text); they must not drift apart. */
    @Test
    void defaultsAreTheBuildersExceptThePort() throws Exception {
        Socks5Server.Settings cli = ProxyMain.build(ProxyOptions.parse()).settings();
        Socks5Server.Settings library = Socks5Server.builder().build().settings();
        assertEquals(library.bindAddress(), cli.bindAddress());
        assertEquals(library.handshakeTimeout(), cli.handshakeTimeout());
        assertEquals(library.connectTimeout(), cli.connectTimeout());
        assertEquals(library.idleTimeout(), cli.idleTimeout());
        assertEquals(library.bindTimeout(), cli.bindTimeout());
        assertEquals(library.maxSessions(), cli.maxSessions());
        assertEquals(0, library.port());
        assertEquals(1080, cli.port());
    }

    @Test
    void everyOption() throws Exception {
        ProxyOptions options = ProxyOptions.parse("--bind", "::1", "--port", "0", "--user", "u", "--password", "p",
                "--handshake-timeout", "500ms", "--connect-timeout", "2m", "--idle-timeout", "1h",
                "--max-sessions", "10", "--bind-timeout", "5s");
        assertEquals(InetAddress.getByName("::1"), options.bind());
        assertEquals(0, options.port());
        assertEquals("u", options.user());
        assertEquals("p", options.password());
        assertEquals(Duration.ofMillis(500), options.handshakeTimeout());
        assertEquals(Duration.ofMinutes(2), options.connectTimeout());
        assertEquals(Duration.ofHours(1), options.idleTimeout());
        assertEquals(10, options.maxSessions());
        assertEquals(Duration.ofSeconds(5), options.bindTimeout());
        assertEquals(Duration.ofSeconds(5), ProxyMain.build(options).settings().bindTimeout());
    }

    @Test
    void helpAndZeroIdle() throws Exception {
        assertTrue(ProxyOptions.parse("--help").help());
        assertEquals(Duration.ZERO, ProxyOptions.parse("--idle-timeout", "0").idleTimeout());
        assertEquals(Duration.ofSeconds(10), ProxyOptions.parse("--handshake-timeout", "10S").handshakeTimeout());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--port 65536                | --port: 65536 (expected: an integer 0-65535)",
        "--port abc                  | --port: abc (expected: an integer 0-65535)",
        "--max-sessions 0            | --max-sessions: 0 (expected: an integer 1-1000000)",
        "--handshake-timeout 10      | --handshake-timeout: 10 (expected: a duration like 500ms, 10s, 2m or 1h, above zero)",
        "--handshake-timeout 0       | --handshake-timeout: 0 (expected: a duration like 500ms, 10s, 2m or 1h, above zero)",
        "--connect-timeout 0s        | --connect-timeout: 0s (expected: a duration like 500ms, 10s, 2m or 1h, above zero)",
        "--bind-timeout 0            | --bind-timeout: 0 (expected: a duration like 500ms, 10s, 2m or 1h, above zero)",
        "--idle-timeout -1s          | --idle-timeout: -1s (expected: a duration like 500ms, 10s, 2m or 1h, or 0 for none)",
        "--idle-timeout 999999999h   | --idle-timeout: 999999999h (expected: a duration like 500ms, 10s, 2m or 1h, or 0 for none)",
        "--port                      | --port: missing value",
        "--user u                    | --user: needs --password too",
        "--password p                | --password: needs --user too",
        "--bind no.such.host.invalid | --bind: no.such.host.invalid (expected: a local IP address or host name)"})
    void badOptionsNameTheOptionAndWhatWasExpected(String args, String message) {
        UsageException e = assertThrows(UsageException.class, () -> ProxyOptions.parse(args.trim().split(" ")));
        assertEquals(message, e.getMessage());
    }

    @Test
    void unknownOptionListsTheKnownOnes() {
        UsageException e = assertThrows(UsageException.class, () -> ProxyOptions.parse("--prot", "1"));
        assertTrue(e.getMessage().startsWith("unknown option: --prot (expected: one of [--bind, --port,"),
                e.getMessage());
    }

    @Test
    void usageMentionsEveryOption() {
        for (String option : new String[] {"--bind", "--port", "--user", "--password", "--handshake-timeout",
                "--connect-timeout", "--idle-timeout", "--max-sessions", "--help"}) {
            assertTrue(ProxyOptions.USAGE.contains(option), option);
        }
    }
}
