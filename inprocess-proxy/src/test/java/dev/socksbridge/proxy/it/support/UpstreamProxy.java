package dev.socksbridge.proxy.it.support;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * A proxy server this project did not write (dante's {@code danted}, {@code tinyproxy}), started on a
 * loopback port found free at run time with its own config and access log in a temp dir, stopped by
 * {@link #close()}. Tests that need one are skipped, saying why, when the binary is not installed
 * ({@code .ci/run} installs both).
 */
public final class UpstreamProxy implements Closeable {

    /** The system user {@code .ci/run} creates for dante's username method (it checks system passwords). */
    public static final String DANTE_USER = "sbroute";
    public static final String DANTE_PASSWORD = "sbroute-pw";

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final Path dir;

    private UpstreamProxy(String name, Process process, int port, Path log, Path dir) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.dir = dir;
    }

    /** danted with {@code socksmethod: none}, or {@code username} (system users) when {@code withUsername}. */
    public static UpstreamProxy dante(boolean withUsername) throws IOException {
        requireBinary("danted", "dante-server");
        if (withUsername) {
            assumeTrue(isRoot() && systemUserExists(DANTE_USER), "dante's username method checks system users:"
                    + " needs root and the user " + DANTE_USER + " (created by .ci/run); skipped");
        }
        Path dir = tempDir();
        int port = freePort();
        Path log = dir.resolve("danted.log");
        String config = String.join("\n",
                "logoutput: " + log,
                "internal: 127.0.0.1 port = " + port,
                "external: 127.0.0.1",
                "clientmethod: none",
                "socksmethod: " + (withUsername ? "username" : "none"),
                isRoot() ? "user.privileged: root" : "",
                isRoot() ? "user.unprivileged: nobody" : "",
                "client pass {", "  from: 127.0.0.0/8 to: 0.0.0.0/0", "}",
                "socks pass {", "  from: 127.0.0.0/8 to: 127.0.0.0/8", "  command: connect",
                "  log: connect disconnect error", "}", "");
        Path file = dir.resolve("danted.conf");
        Files.writeString(file, config, StandardCharsets.UTF_8);
        return start("danted", List.of("danted", "-f", file.toString(), "-p", dir.resolve("danted.pid").toString()),
                port, log, dir);
    }

    /** tinyproxy with {@code BasicAuth user password}. */
    public static UpstreamProxy tinyproxy(String user, String password) throws IOException {
        requireBinary("tinyproxy", "tinyproxy");
        Path dir = tempDir();
        int port = freePort();
        Path log = dir.resolve("tinyproxy.log");
        String config = String.join("\n",
                "Port " + port,
                "Listen 127.0.0.1",
                "LogFile \"" + log + "\"",
                "LogLevel Connect",
                "Allow 127.0.0.1",
                "BasicAuth " + user + " " + password,
                isRoot() ? "User nobody" : "", // as root it must drop to a user; it then writes the log as that user
                isRoot() ? "Group nogroup" : "", "");
        Path file = dir.resolve("tinyproxy.conf");
        Files.writeString(file, config, StandardCharsets.UTF_8);
        return start("tinyproxy", List.of("tinyproxy", "-d", "-c", file.toString()), port, log, dir);
    }

    private static UpstreamProxy start(String name, List<String> command, int port, Path log, Path dir)
            throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectErrorStream(true)
                .start();
        UpstreamProxy proxy = new UpstreamProxy(name, process, port, log, dir);
        proxy.awaitListening();
        return proxy;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    public int port() {
        return port;
    }

    /** Waits (bounded) until the proxy's own access log has a line {@code line} accepts; returns that line. */
    public String awaitLogLine(Predicate<String> line) throws IOException {
        awaitLogLines(line, 1);
        return Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream().filter(line).findFirst().orElseThrow();
    }

    /** Waits (bounded) until the proxy's own access log has {@code count} lines {@code line} accepts. */
    public void awaitLogLines(Predicate<String> line, int count) throws IOException {
        long deadline = System.nanoTime() + Limits.IO.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)
                    && Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream().filter(line).count() >= count) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // the proxy writes its log asynchronously
        }
        fail(name + "'s log has fewer than " + count + " matching lines within " + Limits.IO + ":\n" + logText());
    }

    public String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "(no log)";
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + Limits.IO.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail(name + " exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve(name + ".out")) + " " + logText());
            }
            try (Socket probe = new Socket()) {
                probe.connect(address(), 1000);
                return;
            } catch (IOException notYet) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
        close();
        fail(name + " did not listen on " + address() + " within " + Limits.IO);
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void requireBinary(String binary, String aptPackage) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            found |= Files.isExecutable(Path.of(dir, binary));
        }
        for (String dir : List.of("/usr/sbin", "/usr/bin")) {
            found |= Files.isExecutable(Path.of(dir, binary));
        }
        assumeTrue(found, binary + " is not installed (apt package " + aptPackage + "; .ci/run installs it): skipped");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean systemUserExists(String user) throws IOException {
        return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(user + ":"));
    }

    /** Readable and writable by the unprivileged user the proxies drop to when started as root. */
    private static Path tempDir() throws IOException {
        Path dir = Files.createTempDirectory("upstream-proxy");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        return dir;
    }

    /** A port nothing listens on now (the proxies need a port in their config file: they cannot take 0). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
