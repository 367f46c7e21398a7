package dev.socksbridge.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs the probe app in a child JVM and checks what it printed. */
final class ProbeSupport {

    static final Duration RUN_LIMIT = Duration.ofSeconds(90);

    private ProbeSupport() {
    }

    /** Runs to completion; fails with the child's output unless it exited 0 and printed "PROBE done". */
    static ChildJvm runOk(List<String> command) throws Exception {
        ChildJvm child = ChildJvm.start(command);
        int exit = child.awaitExit(RUN_LIMIT);
        assertEquals(0, exit, "exit code\n" + child.output());
        assertTrue(child.stdoutLines().contains("PROBE done"), "probe did not finish\n" + child.output());
        return child;
    }

    /** The {@code PROBE name ...} line's {@code key=value} value. */
    static String probeValue(ChildJvm child, String scenario, String key) {
        for (String line : child.stdoutLines()) {
            if (line.startsWith("PROBE " + scenario + " ")) {
                for (String part : line.split(" ")) {
                    if (part.startsWith(key + "=")) {
                        return part.substring(key.length() + 1);
                    }
                }
            }
        }
        throw new AssertionError("no " + key + "= in PROBE " + scenario + " line\n" + child.output());
    }

    /** Everything after {@code prefix} on the {@code PROBE name} line (values with spaces). */
    static String probeValueAfter(ChildJvm child, String scenario, String prefix) {
        for (String line : child.stdoutLines()) {
            int at = line.indexOf(prefix);
            if (line.startsWith("PROBE " + scenario + " ") && at >= 0) {
                return line.substring(at + prefix.length());
            }
        }
        throw new AssertionError("no " + prefix + " in PROBE " + scenario + " line\n" + child.output());
    }

    static void assertCaller(Map<String, Object> event, String method, ChildJvm child, String scenario) {
        assertEquals("dev.socksbridge.probe.ProbeApp", event.get("caller_class"), event.toString());
        assertEquals(method, event.get("caller_method"), event.toString());
        assertEquals("ProbeApp.java", event.get("caller_file"), event.toString());
        assertEquals(Long.parseLong(probeValue(child, scenario, "line")), event.get("caller_line"), event.toString());
    }
}
