package dev.socksbridge.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemoOptionsTest {

    @Test
    void noArgumentsMeansOneRound() {
        assertEquals(new DemoOptions(1, false), DemoOptions.parse());
    }

    @Test
    void loopSetsTheRounds() {
        assertEquals(new DemoOptions(3, false), DemoOptions.parse("--loop", "3"));
    }

    @Test
    void helpWins() {
        assertTrue(DemoOptions.parse("--help").help());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "x", "10001", ""})
    void badLoopCountNamesTheOptionAndTheRange(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--loop", value));
        assertEquals("--loop: " + value + " (expected: a count 1-10000)", e.getMessage());
    }

    @Test
    void loopWithoutValueIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--loop"));
        assertEquals("--loop: missing value (expected: a count 1-10000)", e.getMessage());
    }

    @Test
    void unknownArgumentIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--fast"));
        assertEquals("unknown argument: --fast (expected: --loop N or --help)", e.getMessage());
    }
}
