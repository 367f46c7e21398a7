package dev.socksbridge.proxy.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program this project did not write (node, npm, a child JVM) with a bounded wait, its output in
 * files (a pipe read racing the exit loses output on some JDKs), and no proxy environment variables.
 */
public final class ExternalProcess {

    /** What one run printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {
        public String describe() {
            return "exit code " + exitCode + ", stdout: \"" + stdout.strip() + "\", stderr: \"" + stderr.strip() + "\"";
        }
    }

    private ExternalProcess() {
    }

    public static Result run(List<String> command, Path workDir, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("process-out", ".txt");
        Path err = Files.createTempFile("process-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            builder.environment().keySet().removeIf(name -> name.toLowerCase(Locale.ROOT).endsWith("_proxy"));
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                fail("did not finish within " + timeout + ": " + command + "; stdout so far: "
                        + Files.readString(out, StandardCharsets.UTF_8) + "; stderr: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs {@code main} in a new JVM (this JVM's java, this test class path) with the given {@code -D} options. */
    public static Result runJava(Class<?> main, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return run(command, null, Limits.IO.plusSeconds(30));
    }
}
