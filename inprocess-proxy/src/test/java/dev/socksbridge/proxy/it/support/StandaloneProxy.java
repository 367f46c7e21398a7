package dev.socksbridge.proxy.it.support;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The standalone jar ({@code java -jar target/socksbridge-proxy.jar --port 0 ...}) in a child process,
 * started with the JVM that runs the tests. Its stdout and stderr are read on two threads so the child
 * never blocks on a full pipe; the first stdout line gives the bound address.
 */
public final class StandaloneProxy implements Closeable {

    private static final String LISTENING = "socksbridge-proxy listening on ";

    private final Process process;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final InetSocketAddress address;

    private StandaloneProxy(Process process) throws InterruptedException {
        this.process = process;
        drain(process.getInputStream(), "stdout", stdout);
        drain(process.getErrorStream(), "stderr", new LinkedBlockingQueue<>());
        this.address = parseListening(firstStdoutLine());
    }

    /** Starts the jar with {@code --port 0} followed by {@code options}. */
    public static StandaloneProxy start(String... options) throws IOException, InterruptedException {
        Path jar = jar();
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", jar.toString(), "--port", "0"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).start();
        try {
            return new StandaloneProxy(process);
        } catch (RuntimeException | Error | InterruptedException e) {
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

    /** Every stdout and stderr line so far (log lines go wherever the bundled SLF4J backend writes). */
    public List<String> output() {
        return List.copyOf(output);
    }

    /** Waits until some output line contains every one of {@code fragments}. */
    public void awaitLineContaining(String... fragments) {
        Await.until("a proxy log line contains " + List.of(fragments), Limits.IO,
                () -> output.stream().anyMatch(line -> containsAll(line, fragments)),
                () -> "; output so far: " + output);
    }

    private static boolean containsAll(String line, String... fragments) {
        for (String fragment : fragments) {
            if (!line.contains(fragment)) {
                return false;
            }
        }
        return true;
    }

    private String firstStdoutLine() throws InterruptedException {
        String line = stdout.poll(Limits.IO.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            fail("the standalone proxy printed no line within " + Limits.IO + " (alive: " + process.isAlive()
                    + "); output: " + output);
        }
        return line;
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

    private void drain(InputStream stream, String name, BlockingQueue<String> lines) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    lines.add(line);
                    output.add(line);
                }
            } catch (IOException e) {
                output.add("[reading " + name + " failed: " + e + "]");
            }
        }, "test-standalone-proxy-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends SIGTERM and asserts the process exits within {@link Limits#IO}. */
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
            fail("the standalone proxy did not exit within " + Limits.IO + " of SIGTERM; output: " + output);
        }
    }

    /** The exit code; only after {@link #close()}. */
    public int exitValue() {
        return process.exitValue();
    }
}
