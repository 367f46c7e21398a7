package dev.socksbridge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Socks5ServerBuilderTest {

    static Stream<Arguments> badSettings() {
        return Stream.of(
                bad("port: -1 (expected: 0-65535)", b -> b.port(-1)),
                bad("port: 65536 (expected: 0-65535)", b -> b.port(65536)),
                bad("maxSessions: 0 (expected: 1-1000000)", b -> b.maxSessions(0)),
                bad("bufferSize: 1023 (expected: 1024-16777216)", b -> b.bufferSize(1023)),
                bad("bufferSize: 16777217 (expected: 1024-16777216)", b -> b.bufferSize(16 * 1024 * 1024 + 1)),
                bad("handshakeTimeout: PT0S (expected: 1 ms to 2147483647 ms)", b -> b.handshakeTimeout(Duration.ZERO)),
                bad("connectTimeout: PT-1S (expected: 1 ms to 2147483647 ms)",
                        b -> b.connectTimeout(Duration.ofSeconds(-1))),
                bad("idleTimeout: PT-0.001S (expected: 0 (off) or 1 ms to 2147483647 ms)",
                        b -> b.idleTimeout(Duration.ofMillis(-1))),
                bad("idleTimeout: PT596524H (expected: 0 (off) or 1 ms to 2147483647 ms)",
                        b -> b.idleTimeout(Duration.ofHours(596_524))),
                bad("bindTimeout: PT0S (expected: 1 ms to 2147483647 ms)", b -> b.bindTimeout(Duration.ZERO)),
                // Socket timeouts are whole milliseconds where 0 means forever: 500 us must not become that.
                bad("connectTimeout: PT0.0005S (expected: 1 ms to 2147483647 ms)",
                        b -> b.connectTimeout(Duration.ofNanos(500_000))),
                bad("handshakeTimeout: PT0.000000001S (expected: 1 ms to 2147483647 ms)",
                        b -> b.handshakeTimeout(Duration.ofNanos(1))),
                bad("idleTimeout: PT0.0005S (expected: 0 (off) or 1 ms to 2147483647 ms)",
                        b -> b.idleTimeout(Duration.ofNanos(500_000))),
                // Too big for Duration.toMillis(): still the one message, not an ArithmeticException.
                bad("connectTimeout: PT2562047788015215H30M7S (expected: 1 ms to 2147483647 ms)",
                        b -> b.connectTimeout(Duration.ofSeconds(Long.MAX_VALUE))),
                bad("bindTimeout: PT596524H (expected: 1 ms to 2147483647 ms)",
                        b -> b.bindTimeout(Duration.ofHours(596_524))));
    }

    private static Arguments bad(String message, UnaryOperator<Socks5Server.Builder> setting) {
        return Arguments.of(message, setting);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSettings")
    void buildNamesTheBadSettingAndItsRange(String message, UnaryOperator<Socks5Server.Builder> setting) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> setting.apply(Socks5Server.builder()).build());
        assertEquals(message, e.getMessage());
    }

    @Test
    void nullsAreRejectedByName() {
        assertEquals("bindAddress", assertThrows(NullPointerException.class,
                () -> Socks5Server.builder().bindAddress(null)).getMessage());
        assertEquals("dialer", assertThrows(NullPointerException.class,
                () -> Socks5Server.builder().dialer(null)).getMessage());
        assertEquals("policy", assertThrows(NullPointerException.class,
                () -> Socks5Server.builder().policy(null)).getMessage());
        assertEquals("listener", assertThrows(NullPointerException.class,
                () -> Socks5Server.builder().listener(null)).getMessage());
        assertEquals("handshakeTimeout", assertThrows(NullPointerException.class,
                () -> Socks5Server.builder().handshakeTimeout(null)).getMessage());
        assertEquals("bindTimeout", assertThrows(NullPointerException.class,
                () -> Socks5Server.builder().bindTimeout(null)).getMessage());
    }

    @Test
    void defaultsAreLoopbackEphemeralAndNoAuthentication() {
        Socks5Server.Settings settings = Socks5Server.builder().build().settings();
        assertEquals(InetAddress.getLoopbackAddress(), settings.bindAddress());
        assertEquals(0, settings.port());
        assertEquals(null, settings.credentials());
        assertEquals(Duration.ofSeconds(10), settings.handshakeTimeout());
        assertEquals(Duration.ZERO, settings.idleTimeout());
        assertEquals(Duration.ofSeconds(60), settings.bindTimeout());
        assertEquals(64 * 1024, settings.bufferSize());
    }

    @Test
    void faultsAreParsedAtOnceAndLandInTheTableGiven() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Socks5Server.builder().fault("*->latency toxicity=2"));
        assertEquals("fault '*->latency toxicity=2': toxicity=2 (expected: a number from 0 to 1)", bad.getMessage());
        dev.socksbridge.proxy.Faults table = new dev.socksbridge.proxy.Faults();
        Socks5Server server = Socks5Server.builder().faults(table).fault("*->refuse").build();
        assertEquals(table, server.faults());
        assertEquals("*->refuse", table.list().get(0).toString());
        assertTrue(Socks5Server.builder().build().faults().isEmpty(), "no faults by default");
    }

    @Test
    void addressBeforeStartSaysWhatToDo() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Socks5Server.builder().build().address());
        assertEquals("address: the server is not started (call start() first)", e.getMessage());
    }

    @Test
    void startingTwiceIsAnError() throws Exception {
        try (Socks5Server server = Socks5Server.builder().build().start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, server::start);
            assertEquals("start: already started", e.getMessage());
        }
    }

    @Test
    void closeWithoutStartAndTwiceIsHarmless() throws Exception {
        Socks5Server.builder().build().close();
        Socks5Server server = Socks5Server.builder().build().start();
        server.close();
        server.close();
        assertEquals(0, server.activeSessions());
    }
}
