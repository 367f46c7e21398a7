package dev.socksbridge.proxy.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system's curl. CI installs curl (apt-get install curl), so a missing curl is a failure with
 * a clear message, never a skipped test.
 */
public final class Curl {

    /** What one curl run printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {
        public String describe() {
            return "curl exit code " + exitCode + ", stdout: \"" + stdout + "\", stderr: \"" + stderr + "\"";
        }
    }

    private Curl() {
    }

    /**
     * Runs {@code curl -q -sS --max-time N <args>} with every proxy environment variable removed, so
     * only the proxy the test names is used (a NO_PROXY=localhost on a CI runner would otherwise let
     * curl go direct and the test pass without the proxy).
     */
    public static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable(), "-q", "-sS",
                "--max-time", String.valueOf(Limits.IO.toSeconds())));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("curl-out", ".txt");
        Path err = Files.createTempFile("curl-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            removeProxyVariables(builder.environment());
            Process process = builder.start();
            if (!process.waitFor(Limits.IO.toSeconds() + 10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("curl did not finish in time: " + command);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void removeProxyVariables(Map<String, String> environment) {
        environment.keySet().removeIf(name -> name.toLowerCase(Locale.ROOT).endsWith("_proxy"));
    }

    /** The curl on PATH, or a failure that says how to get one. */
    static String executable() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            File candidate = new File(dir, "curl");
            if (candidate.isFile() && candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        return fail("curl not found on PATH (" + path + "): the curl ITs need it; CI installs it with "
                + "`apt-get install -y curl`, locally install curl the same way");
    }
}
