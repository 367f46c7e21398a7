package dev.socksbridge.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's calls against its own embedded targets, in this JVM: no agent, plain loopback sockets. */
class DemoMainIT {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return DemoMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<String> outLines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void everyCallIsMadeAndReported() {
        assertEquals(0, run(), () -> err.toString(StandardCharsets.UTF_8));
        DemoOutput.assertAllCallsReported(outLines(), 1);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void loopRepeatsEveryCall() {
        assertEquals(0, run("--loop", "2"), () -> err.toString(StandardCharsets.UTF_8));
        DemoOutput.assertAllCallsReported(outLines(), 2);
    }

    @Test
    void embeddedTargetsAreNamedFirst() {
        assertEquals(0, run());
        assertTrue(outLines().get(0).matches("demo-app: embedded targets: http 127\\.0\\.0\\.1:\\d+, .*partner 127\\.0\\.0\\.2:\\d+.*"),
                outLines().get(0));
    }

    @Test
    void badArgumentsPrintUsageAndExitTwo() {
        assertEquals(2, run("--loop", "zero"));
        assertEquals("demo-app: --loop: zero (expected: a count 1-10000)\n" + DemoOptions.USAGE + "\n",
                err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
