package dev.socksbridge.it;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The ports of demo-app's embedded targets, read from the first line it prints. */
record DemoTargets(int http, int tcpEcho, int partner, int closedPort) {
    private static final Pattern LINE = Pattern.compile("demo-app: embedded targets: http 127\\.0\\.0\\.1:(\\d+), "
            + "tcp-echo 127\\.0\\.0\\.1:(\\d+), udp-echo 127\\.0\\.0\\.1:\\d+, partner 127\\.0\\.0\\.2:(\\d+), "
            + "closed port 127\\.0\\.0\\.1:(\\d+)");

    static DemoTargets from(String stdout) {
        Matcher m = LINE.matcher(stdout);
        if (!m.find()) {
            throw new AssertionError("no 'embedded targets' line in the demo's output:\n" + stdout);
        }
        return new DemoTargets(port(m, 1), port(m, 2), port(m, 3), port(m, 4));
    }

    private static int port(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    /** Target port -> the demo's name for it. */
    Map<Integer, String> names() {
        return Map.of(http, "http", tcpEcho, "tcp-echo", partner, "partner", closedPort, "closed-port");
    }
}
