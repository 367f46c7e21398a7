package dev.socksbridge.agent.inventory;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.EventJson;
import dev.socksbridge.agent.report.LogSink;
import java.nio.file.Files;
import jdk.jfr.FlightRecorder;
import java.nio.file.Path;

/**
 * Where the running agent hands the inventory each finished record: {@link #record} feeds the JFR events
 * (when a recording runs) and the {@code learn=}/{@code report=} files written at exit ({@link #finish}).
 * {@link #record} is the one adapter from the agent's record type; everything past it reads
 * {@link EgressEvent}s, the same as the offline commands.
 */
public final class InventoryHook {

    private static final boolean JFR_PRESENT = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private static volatile AtExit atExit;

    private InventoryHook() {
    }

    /** What {@code learn=} and {@code report=} gather during the run. */
    private record AtExit(Path learn, LearnedPolicy policy, Path report, ReportModel model) {
    }

    /**
     * Reads the existing {@code learn=} file now (so a malformed one stops the start with its line), and
     * starts gathering; either may be null.
     *
     * @throws InventoryException naming the option, the file (and line)
     */
    public static void start(String learn, String report) {
        start(learn, LearnScope.DESTINATION, report);
    }

    /** Like {@link #start(String, String)}, learning rules of {@code scope}. */
    public static void start(String learn, LearnScope scope, String report) {
        if (learn == null && report == null) {
            atExit = null;
            return;
        }
        checkWritable("learn", learn);
        checkWritable("report", report);
        LearnedPolicy policy = null;
        if (learn != null) {
            try {
                PolicyFile.readInto(Path.of(learn), new LearnedPolicy()); // checked now, merged at exit
            } catch (InventoryException e) {
                throw new InventoryException("option learn=" + learn + ": " + e.getMessage(), e);
            }
            policy = new LearnedPolicy(scope);
        }
        atExit = new AtExit(learn == null ? null : Path.of(learn), policy,
                report == null ? null : Path.of(report), report == null ? null : new ReportModel());
    }

    /** Fails now rather than at exit when the file's directory does not exist. */
    private static void checkWritable(String option, String file) {
        if (file == null) {
            return;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            throw new InventoryException("option " + option + "=" + file + ": cannot be written at exit (expected:"
                    + " a file in an existing, writable directory)");
        }
    }

    /** Stops gathering (the agent did not start after all). */
    public static void reset() {
        atExit = null;
    }

    /** Whether {@link #record} keeps anything now (learn=, report=, or a JFR recording was started). */
    public static boolean wantsEvents() {
        return atExit != null || JFR_PRESENT && FlightRecorder.isInitialized();
    }

    /** The adapter: one finished connection, lookup or datagram total, as the agent reports it. */
    public static void record(ConnectionEvent record) {
        AtExit gathering = atExit;
        boolean jfr = JFR_PRESENT && FlightRecorder.isInitialized(); // false until a recording was started
        if (gathering == null && !jfr) {
            return;
        }
        try {
            EgressEvent event = EventsReader.event(EventJson.toMap(record));
            if (jfr) {
                JfrEvents.commit(event);
            }
            if (gathering != null) {
                if (gathering.policy != null) {
                    gathering.policy.add(event);
                }
                if (gathering.model != null) {
                    gathering.model.add(event);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            LogSink.warn("inventory: cannot record connection " + record.id() + ": " + e);
        }
    }

    /** At exit, after the last record: writes the learned policy and the report. Never throws. */
    public static void finish() {
        AtExit gathering = atExit;
        atExit = null;
        if (gathering == null) {
            return;
        }
        try {
            if (gathering.learn != null) {
                // Read at exit, not at start: another JVM may have learned into the same file meanwhile.
                PolicyFile.merge(gathering.policy, gathering.learn);
            }
            if (gathering.report != null) {
                ReportHtml.write(gathering.model, "pid " + ProcessHandle.current().pid(), gathering.report);
            }
        } catch (RuntimeException e) {
            LogSink.warn("inventory: " + e.getMessage());
        }
    }
}
