package dev.socksbridge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The textual form of a fault: what it parses to, and the error for each kind of mistake. */
class FaultTest {

    @Test
    void theIssuesExampleParsesWithEveryValue() {
        Fault fault = Fault.parse("fault=*.example.com:443->latency latency=200 jitter=50 direction=down toxicity=0.5");
        assertEquals(FaultType.LATENCY, fault.type());
        assertEquals(200, fault.value("latency"));
        assertEquals(50, fault.value("jitter"));
        assertEquals(FaultDirection.DOWN, fault.direction());
        assertEquals(0.5, fault.toxicity());
        assertTrue(fault.pattern().matches("api.example.com", 443));
        assertFalse(fault.pattern().matches("api.example.com", 80));
    }

    @Test
    void withoutThePrefixAndWithDefaults() {
        Fault fault = Fault.parse("*->bandwidth rate=256");
        assertEquals(256, fault.value("rate"));
        assertEquals(FaultDirection.BOTH, fault.direction());
        assertEquals(1.0, fault.toxicity());
        Fault slicer = Fault.parse("10.0.0.0/8->slicer average_size=64");
        assertEquals(0, slicer.value("size_variation"));
        assertEquals(0, slicer.value("delay"));
        assertEquals("10.0.0.0/8->slicer average_size=64", slicer.toString());
    }

    @Test
    void everyTypeParsesWithItsKeys() {
        for (String spec : List.of("*->latency latency=1 jitter=1", "*->bandwidth rate=1", "*->slow_close delay=5",
                "*->timeout timeout=0", "*->reset_peer timeout=10", "*->slicer average_size=10 size_variation=5 delay=3",
                "*->limit_data bytes=100", "*->connect_delay delay=100", "*->refuse", "[::1]:5432->refuse toxicity=1")) {
            assertEquals(spec.substring(spec.indexOf("->") + 2).split(" ")[0], Fault.parse(spec).type().label(), spec);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "*->lag latency=1                 | unknown type 'lag' (expected one of: latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, connect_delay, refuse)",
        "*->latency delay=1               | unknown key 'delay' for latency (expected: latency, jitter, direction, toxicity)",
        "*->refuse direction=up           | unknown key 'direction' for refuse (expected: toxicity)",
        "*->latency latency=-5            | latency=-5 (expected: an integer 0-2147483647)",
        "*->latency latency=fast          | latency=fast (expected: an integer 0-2147483647)",
        "*->latency toxicity=1.5          | toxicity=1.5 (expected: a number from 0 to 1)",
        "*->latency toxicity=-0.1         | toxicity=-0.1 (expected: a number from 0 to 1)",
        "*->latency direction=sideways    | direction=sideways (expected: up, down or both)",
        "*->latency latency=1 latency=2   | latency given twice (expected: once)",
        "*->latency latency               | 'latency' (expected: key=value)",
        "*->bandwidth                     | rate=0 (expected: KiB per second, 1 or more)",
        "*->latency latency=10 jitter=20  | jitter=20 (expected: at most latency=10)",
        "latency latency=10               | no 'PATTERN->TYPE' (expected: PATTERN->TYPE key=value ..., e.g. *.example.com:443->latency latency=200)",
    })
    void mistakesAreNamedWithWhatWasExpected(String spec, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fault.parse(spec));
        assertEquals("fault '" + spec + "': " + expected, e.getMessage());
    }

    @Test
    void aBadPatternNamesTheGrammar() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fault.parse("api.*.com->latency latency=1"));
        assertTrue(e.getMessage().startsWith("fault 'api.*.com->latency latency=1': 'api.*.com' (")
                && e.getMessage().contains("expected: host, host:port or host:*"), e.getMessage());
    }

    @Test
    void toxicityIsTheShareOfConnectionsAndFixedPerConnection() {
        Fault half = Fault.parse("*->latency latency=1 toxicity=0.5");
        Fault never = Fault.parse("*->latency latency=1 toxicity=0");
        Fault always = Fault.parse("*->latency latency=1");
        SplittableRandom seeds = new SplittableRandom(42);
        int chosen = 0;
        for (int i = 0; i < 10_000; i++) {
            long seed = seeds.nextLong();
            boolean first = half.appliesTo("h", 1, seed);
            assertEquals(first, half.appliesTo("h", 1, seed), "the same connection always gets the same answer");
            chosen += first ? 1 : 0;
            assertFalse(never.appliesTo("h", 1, seed));
            assertTrue(always.appliesTo("h", 1, seed));
        }
        assertTrue(chosen > 4_000 && chosen < 6_000, "toxicity=0.5 chose " + chosen + " of 10000 connections");
    }

    @Test
    void theTableAddsRemovesAndReplacesTheSameObjects() {
        Faults table = new Faults();
        Fault a = table.add("*->latency latency=1");
        Fault b = table.add("*->latency latency=1");
        assertEquals(List.of(a, b), table.list());
        assertTrue(table.remove(a));
        assertFalse(table.remove(a));
        assertEquals(List.of(b), table.list());
        assertTrue(table.contains(b));
        Fault c = Fault.parse("*->refuse");
        table.replaceAll(List.of(c));
        assertEquals(List.of(c), table.list());
        table.clear();
        assertTrue(table.isEmpty());
    }
}
