package dev.socksbridge.agent.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A network namespace a test creates (root and {@code ip} needed) so that probes can run where routes and
 * kernel settings are the test's own, without touching the machine's. When that is not possible,
 * {@link #missing} says why, for the test to skip saying so.
 */
final class NetNamespace implements AutoCloseable {

    private final String name;
    private final String missing;

    private NetNamespace(String name, String missing) {
        this.name = name;
        this.missing = missing;
    }

    /**
     * Creates {@code name} with {@code lo} up and then runs each {@code setup} command in it (e.g.
     * {@code ip route add ...}, {@code sysctl -w ...}).
     *
     * @return the namespace, or one that says why it could not be created ({@link #missing})
     * @throws AssertionError when it was created but a setup step failed
     */
    static NetNamespace create(String name, String[]... setup) throws InterruptedException {
        String failure = run(List.of("ip", "netns", "add", name));
        if (failure != null) {
            return new NetNamespace(name, "cannot create a network namespace (" + failure + ")");
        }
        NetNamespace namespace = new NetNamespace(name, null);
        List<String[]> steps = new ArrayList<>();
        steps.add(new String[] {"ip", "link", "set", "lo", "up"});
        steps.addAll(List.of(setup));
        for (String[] step : steps) {
            String stepFailure = run(namespace.exec(List.of(step)));
            if (stepFailure != null) {
                namespace.close();
                throw new AssertionError("setting up namespace " + name + ": " + stepFailure);
            }
        }
        return namespace;
    }

    /** Why the namespace could not be created, or null when it exists. */
    String missing() {
        return missing;
    }

    /** {@code command}, run inside this namespace. */
    List<String> exec(List<String> command) {
        return Stream.concat(Stream.of("ip", "netns", "exec", name), command.stream()).toList();
    }

    @Override
    public void close() throws InterruptedException {
        if (missing != null) {
            return;
        }
        String failure = run(List.of("ip", "netns", "delete", name));
        if (failure != null) {
            throw new AssertionError("deleting namespace " + name + ": " + failure);
        }
    }

    /** Runs {@code command}; null when it succeeded, else what went wrong. */
    private static String run(List<String> command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + ": no exit within 30 s";
            }
            String output = new String(process.getInputStream().readAllBytes()).trim();
            return process.exitValue() == 0 ? null : String.join(" ", command) + ": " + output;
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e;
        }
    }
}
