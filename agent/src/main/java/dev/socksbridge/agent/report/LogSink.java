package dev.socksbridge.agent.report;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Where the agent's bundled SLF4J backend writes: standard error (default), a file ({@code log=FILE},
 * appended, flushed per line so nothing is lost at exit) or nowhere ({@code log=off}).
 */
public final class LogSink {

    private static volatile PrintStream out = System.err;
    private static volatile boolean connectionLinesOff;

    private LogSink() {
    }

    /** @param log {@code stderr}, {@code off} or a file name */
    public static void configure(String log) throws IOException {
        if (log.equalsIgnoreCase("off")) {
            connectionLinesOff = true;
            out = System.err; // warnings still reach the user
        } else if (log.equalsIgnoreCase("stderr")) {
            out = System.err;
        } else {
            out = new PrintStream(new FileOutputStream(log, true), true, StandardCharsets.UTF_8);
        }
    }

    static boolean connectionLinesOff() {
        return connectionLinesOff;
    }

    /** A one-line warning from the agent itself; shown even with {@code log=off}. */
    public static void warn(String message) {
        println("socksbridge WARN " + message);
    }

    static void println(String line) {
        PrintStream target = out;
        synchronized (target) {
            target.println(line);
        }
    }

    /** Flushes, and closes a log file (never standard error). */
    public static void close() {
        PrintStream target = out;
        target.flush();
        if (target != System.err) {
            out = System.err;
            target.close();
        }
    }
}
