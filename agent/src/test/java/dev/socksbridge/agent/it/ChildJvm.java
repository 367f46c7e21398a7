package dev.socksbridge.agent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A child JVM whose output lines are collected by reader threads and awaited with bounded waits. */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final Thread stdoutPump;
    private final Thread stderrPump;

    private ChildJvm(Process process) {
        this.process = process;
        this.stdoutPump = pump(process.getInputStream(), stdout, "stdout");
        this.stderrPump = pump(process.getErrorStream(), stderr, "stderr");
    }

    static ChildJvm start(List<String> command) throws IOException {
        return new ChildJvm(new ProcessBuilder(command).start());
    }

    private Thread pump(InputStream stream, List<String> lines, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    synchronized (this) {
                        lines.add(line);
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended; what was read is kept
            }
        }, "child-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits (bounded) for a stdout line matching; empty if none came in time. */
    Optional<String> awaitStdout(Predicate<String> match, Duration timeout) throws InterruptedException {
        return await(stdout, stdoutPump, match, timeout);
    }

    /** Waits (bounded) for a stderr line matching (the agent's log lines); empty if none came in time. */
    Optional<String> awaitStderr(Predicate<String> match, Duration timeout) throws InterruptedException {
        return await(stderr, stderrPump, match, timeout);
    }

    private synchronized Optional<String> await(List<String> lines, Thread pump, Predicate<String> match,
            Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : lines) {
                if (match.test(line)) {
                    return Optional.of(line);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !pump.isAlive()) {
                return Optional.empty();
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
        }
    }

    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits for exit (bounded) and returns the exit code; kills the process if it did not end in time. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not exit within " + timeout + "\n" + output());
        }
        // the pumps end at EOF, right after exit; bounded, in case a grandchild holds the pipes
        stdoutPump.join(10_000);
        stderrPump.join(10_000);
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    synchronized List<String> stdoutLines() {
        return List.copyOf(stdout);
    }

    synchronized List<String> stderrLines() {
        return List.copyOf(stderr);
    }

    synchronized String output() {
        return "--- stdout ---\n" + String.join("\n", stdout) + "\n--- stderr ---\n" + String.join("\n", stderr);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
