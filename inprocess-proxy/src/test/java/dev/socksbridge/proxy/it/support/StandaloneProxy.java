package dev.socksbridge.proxy.it.support;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The standalone jar ({@code java -jar target/socksbridge-proxy.jar --port 0 ...}) in a child process,
 * started with the JVM that runs the tests. Its stdout and stderr go to files, not pipes: a pipe a
 * thread is still reading when the process exits can fail that read with "Stream closed", while a file
 * keeps every line. The first stdout line gives the bound address.
 */
public final class StandaloneProxy implements Closeable {

    private static final String LISTENING = "socksbridge-proxy listening on ";

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final InetSocketAddress address;

    private StandaloneProxy(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.address = parseListening(firstStdoutLine());
    }

    /** Starts the jar with {@code --port 0} followed by {@code options}. */
    public static StandaloneProxy start(String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", jar().toString(), "--port", "0"));
        command.addAll(List.of(options));
        Path stdout = Files.createTempFile("proxy-out", ".txt");
        Path stderr = Files.createTempFile("proxy-err", ".txt");
        // Kept until the test JVM exits: tests read the output after close() to check what was logged.
        stdout.toFile().deleteOnExit();
        stderr.toFile().deleteOnExit();
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            return new StandaloneProxy(process, stdout, stderr);
        } catch (RuntimeException | Error e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** How a jar run that ends by itself (--help, a bad option) ended. */
    public record Exited(int exitCode, String stdout, String stderr) {
    }

    /** Runs the jar with exactly {@code options} and waits (bounded) for it to exit by itself. */
    public static Exited runToExit(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", jar().toString()));
        command.addAll(List.of(options));
        Path out = Files.createTempFile("proxy-out", ".txt");
        Path err = Files.createTempFile("proxy-err", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(Limits.IO.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail("the standalone proxy did not exit by itself within " + Limits.IO + ": " + command);
            }
            return new Exited(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The runnable jar that {@code mvn package} builds before failsafe runs. */
    static Path jar() {
        Path jar = Path.of(System.getProperty("socksbridge.proxyJar", "target/socksbridge-proxy.jar"));
        assertTrue(Files.isRegularFile(jar), () -> "standalone jar " + jar.toAbsolutePath()
                + " not found: run the ITs through `mvn verify`, which builds it in the package phase");
        return jar;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public InetSocketAddress address() {
        return address;
    }

    /** {@code host:port} of the proxy, for curl. */
    public String hostPort() {
        return address.getHostString() + ":" + address.getPort();
    }

    /** Every complete stdout line, then every complete stderr line, so far. */
    public List<String> output() {
        List<String> lines = new ArrayList<>(completeLines(stdout));
        lines.addAll(completeLines(stderr));
        return lines;
    }

    /** Waits until some output line contains every one of {@code fragments}. */
    public void awaitLineContaining(String... fragments) {
        Await.until("a proxy log line contains " + List.of(fragments), Limits.IO,
                () -> output().stream().anyMatch(line -> containsAll(line, fragments)),
                () -> "; output so far: " + output());
    }

    private static boolean containsAll(String line, String... fragments) {
        for (String fragment : fragments) {
            if (!line.contains(fragment)) {
                return false;
            }
        }
        return true;
    }

    private String firstStdoutLine() {
        Await.until("the standalone proxy prints its first line", Limits.IO,
                () -> !completeLines(stdout).isEmpty() || !process.isAlive(),
                () -> "; output: " + output());
        List<String> lines = completeLines(stdout);
        if (lines.isEmpty()) {
            fail("the standalone proxy exited with code " + process.exitValue() + " before printing a line; output: "
                    + output());
        }
        return lines.get(0);
    }

    private static InetSocketAddress parseListening(String line) {
        if (!line.startsWith(LISTENING)) {
            fail("first stdout line: \"" + line + "\" (expected: \"" + LISTENING + "HOST:PORT\")");
        }
        String hostPort = line.substring(LISTENING.length()).trim();
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** The lines of {@code file} that end in a newline (the last one may still be being written). */
    private static List<String> completeLines(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : text.substring(0, end).lines().toList();
    }

    /** Sends SIGTERM and asserts the process exits within {@link Limits#IO}; keeps the output readable. */
    @Override
    public void close() {
        process.destroy();
        boolean exited;
        try {
            exited = process.waitFor(Limits.IO.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = false;
        }
        if (!exited) {
            process.destroyForcibly();
            fail("the standalone proxy did not exit within " + Limits.IO + " of SIGTERM; output: " + output());
        }
    }

    /** The exit code; only after {@link #close()}. */
    public int exitValue() {
        return process.exitValue();
    }
}
