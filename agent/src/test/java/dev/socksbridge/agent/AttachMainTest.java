package dev.socksbridge.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The attach CLI's usage errors: exit code 2 and one line naming what was wrong, nothing attached. */
class AttachMainTest {

    @Test
    void aPidThatIsNotANumberIsAUsageError() {
        Run run = run("attach", "abc");
        assertEquals(2, run.code);
        assertTrue(run.stderr.contains("attach <pid>: 'abc' (expected: the numeric id of a running JVM"), run.stderr);
    }

    @Test
    void aBadOptionIsAUsageErrorNamingTheOption() {
        Run run = run("attach", "12345", "mode=block");
        assertEquals(2, run.code);
        assertTrue(run.stderr.contains("option mode=block (expected: monitor or enforce) (nothing attached)"), run.stderr);
    }

    @Test
    void noCommandPrintsTheUsage() {
        Run run = run();
        assertEquals(2, run.code);
        assertTrue(run.stderr.contains("usage: java -jar socksbridge-agent.jar attach <pid> [options]"), run.stderr);
    }

    private record Run(int code, String stderr) {
    }

    private static Run run(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = AttachMain.run(args);
            return new Run(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }
}
