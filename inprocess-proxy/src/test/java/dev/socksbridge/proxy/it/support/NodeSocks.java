package dev.socksbridge.proxy.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code src/test/node/socks-client.mjs} (the npm {@code socks} client, version pinned in its
 * package.json/package-lock.json) with node. CI installs the package with {@code .ci/npm-setup.sh}; when
 * it is missing this runs {@code npm ci} in that folder itself. A missing node is a failure that says
 * how to get one, never a skipped test.
 */
public final class NodeSocks {

    private static final Path DIR = Path.of("src", "test", "node").toAbsolutePath();
    private static final Pattern FIELD = Pattern.compile("\"([^\"]+)\":(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+)");

    private NodeSocks() {
    }

    /** Runs the script against the proxy's port; {@code steps} are bind5, bind4, udp (none = all). */
    public static Output run(int proxyPort, int udpEchoPort, String... steps) throws IOException, InterruptedException {
        installOnce();
        List<String> command = new ArrayList<>(List.of(executable("node"), "socks-client.mjs",
                String.valueOf(proxyPort), String.valueOf(udpEchoPort)));
        command.addAll(List.of(steps));
        ExternalProcess.Result result = ExternalProcess.run(command, DIR, Limits.IO.plusSeconds(60));
        assertEquals(0, result.exitCode(), result::describe);
        return new Output(result.stdout().strip());
    }

    private static synchronized void installOnce() throws IOException, InterruptedException {
        if (Files.isRegularFile(DIR.resolve("node_modules/socks/package.json"))) {
            return;
        }
        ExternalProcess.Result npm = ExternalProcess.run(List.of(executable("npm"), "ci", "--no-audit", "--no-fund"),
                DIR, Duration.ofMinutes(3));
        assertEquals(0, npm.exitCode(), () -> "npm ci in " + DIR + " failed (CI runs .ci/npm-setup.sh first): "
                + npm.describe());
    }

    private static String executable(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            File candidate = new File(dir, name);
            if (candidate.isFile() && candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        return fail(name + " not found on PATH (" + path + "): the node-driven ITs need node and npm; "
                + "install them (e.g. `apt-get install -y nodejs npm`), then run .ci/npm-setup.sh");
    }

    /** The script's one line of flat JSON. */
    public record Output(String json) {

        /** The value of {@code key} (a string without its quotes, or a number as text); fails if absent. */
        public String get(String key) {
            Matcher matcher = FIELD.matcher(json);
            while (matcher.find()) {
                if (matcher.group(1).equals(key)) {
                    String value = matcher.group(2);
                    return value.startsWith("\"") ? value.substring(1, value.length() - 1) : value;
                }
            }
            return fail("no \"" + key + "\" in the node script's output: " + json);
        }

        public int getInt(String key) {
            return Integer.parseInt(get(key));
        }
    }
}
