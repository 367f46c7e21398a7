package dev.socksbridge.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * A small "legacy service": starts its own loopback targets, then calls them every way the JDK can
 * (Socket, HttpURLConnection, HttpClient, NIO, UDP, a name lookup), once to a partner the demo's policy
 * denies and once to a closed port, printing one line per call. It knows nothing about socksbridge.
 */
public final class DemoMain {

    private DemoMain() {
    }

    public static void main(String[] args) {
        // Exit explicitly: HttpClient's and the JDK HTTP server's threads must not keep the JVM up.
        System.exit(run(args, System.out, System.err));
    }

    /** @return the exit code: 0 after all calls (each call's own failure is reported, not fatal), 1 if
     *     the embedded targets cannot start, 2 for a bad command line */
    static int run(String[] args, PrintStream out, PrintStream err) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("demo-app: " + e.getMessage());
            err.println(DemoOptions.USAGE);
            return 2;
        }
        if (options.help()) {
            out.println(DemoOptions.USAGE);
            return 0;
        }
        try (LocalTargets targets = LocalTargets.start()) {
            out.println("demo-app: embedded targets: " + targets.describe());
            callAll(targets.calls(), options.rounds(), out);
            return 0;
        } catch (IOException e) {
            err.println("demo-app: cannot start the embedded targets: " + e.getMessage());
            return 1;
        }
    }

    private static void callAll(List<DemoCall> calls, int rounds, PrintStream out) {
        int failed = 0;
        for (int round = 1; round <= rounds; round++) {
            for (int i = 0; i < calls.size(); i++) {
                CallReport report = CallReport.run(round, i + 1, calls.get(i));
                out.println(report.line());
                failed += report.ok() ? 0 : 1;
            }
        }
        int total = rounds * calls.size();
        out.println("demo-app: " + total + " calls, " + (total - failed) + " ok, " + failed + " failed");
    }
}
