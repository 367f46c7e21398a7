package dev.socksbridge.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The packaged jar, as demo.sh runs it: {@code java -jar target/demo-app.jar}, in a child JVM, no agent. */
class DemoJarIT {
    private static final Path JAR = Paths.get("target", "demo-app.jar");

    @BeforeAll
    static void jarIsBuilt() {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " missing: run through mvn verify (package first)");
    }

    @Test
    void runsEveryCallAndExitsZero() throws Exception {
        ChildRun run = ChildRun.of("--loop", "2");
        assertEquals(0, run.exitCode, run::describe);
        DemoOutput.assertAllCallsReported(run.stdout, 2);
    }

    @Test
    void badArgumentsExitTwoWithUsage() throws Exception {
        ChildRun run = ChildRun.of("--nope");
        assertEquals(2, run.exitCode, run::describe);
        assertEquals(List.of("demo-app: unknown argument: --nope (expected: --loop N or --help)"),
                run.stderr.subList(0, 1), run::describe);
        assertTrue(run.stderr.get(1).startsWith("usage: java -jar demo-app.jar"), run::describe);
    }

    /** One finished child JVM: its exit code and output lines. */
    private record ChildRun(int exitCode, List<String> stdout, List<String> stderr) {

        static ChildRun of(String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
            command.addAll(List.of(args));
            Path out = Files.createTempFile("demo-out", ".txt");
            Path err = Files.createTempFile("demo-err", ".txt");
            try {
                Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("demo-app did not exit within 120 s: " + command);
                }
                return new ChildRun(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        }

        String describe() {
            return "exit " + exitCode + "\nstdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + String.join("\n", stderr);
        }
    }
}
