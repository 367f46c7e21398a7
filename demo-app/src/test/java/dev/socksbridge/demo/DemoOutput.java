package dev.socksbridge.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Assertions on the demo's stdout, shared by the in-process and the child-JVM tests. */
final class DemoOutput {
    /** Every call the demo makes, in order, and how it ends without an agent. */
    static final List<String> CALLS = List.of("socket", "http-url-connection", "http-client", "nio-channel",
            "udp", "dns-lookup", "denied-partner", "closed-port", "payments-by-route");

    private static final Pattern CALL_LINE =
            Pattern.compile("demo \\[(\\d+)\\.(\\d+)] (\\S+) +(\\S+) +(ok|failed): (.*) \\(\\d+ ms\\)");

    private DemoOutput() {
    }

    /** Asserts one line per call per round, each with the result the call must have without an agent. */
    static void assertAllCallsReported(List<String> lines, int rounds) {
        List<Matcher> calls = lines.stream().map(CALL_LINE::matcher).filter(Matcher::matches).toList();
        assertEquals(rounds * CALLS.size(), calls.size(), () -> "call lines in:\n" + String.join("\n", lines));
        for (int i = 0; i < calls.size(); i++) {
            Matcher call = calls.get(i);
            String name = CALLS.get(i % CALLS.size());
            assertEquals(name, call.group(3), call.group());
            assertEquals(String.valueOf(i / CALLS.size() + 1), call.group(1), call.group());
            assertExpectedResult(name, call);
        }
        int total = rounds * CALLS.size();
        // Without an agent (and so without a route) the closed port and the unresolvable payments name fail, once per round.
        assertTrue(lines.contains("demo-app: " + total + " calls, " + (total - 2 * rounds) + " ok, " + 2 * rounds
                + " failed"),
                () -> "summary line in:\n" + String.join("\n", lines));
    }

    private static void assertExpectedResult(String name, Matcher call) {
        String result = call.group(5) + ": " + call.group(6);
        switch (name) {
            case "socket", "nio-channel", "denied-partner" -> assertTrue(result.matches("ok: echoed \\d+ bytes"), call.group());
            case "udp" -> assertEquals("ok: echoed 13 bytes", result, call.group());
            case "http-url-connection", "http-client" -> assertEquals("ok: HTTP 200, " + HttpTarget.BODY.length() + " bytes", result, call.group());
            case "dns-lookup" -> assertTrue(result.startsWith("ok: resolved to "), call.group());
            case "closed-port" -> assertTrue(result.startsWith("failed: java.net.ConnectException"), call.group());
            case "payments-by-route" -> assertTrue(result.startsWith("failed: java.net.UnknownHostException"), call.group());
            default -> throw new AssertionError("unexpected call " + call.group());
        }
        if (name.equals("denied-partner")) {
            assertTrue(call.group(4).startsWith(LocalTargets.PARTNER_HOST + ":"), call.group());
        }
    }
}
