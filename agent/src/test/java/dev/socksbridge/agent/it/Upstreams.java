package dev.socksbridge.agent.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * dante ({@code danted}, SOCKS5 without authentication) and tinyproxy (HTTP CONNECT with Basic), started on
 * a loopback port found free at run time, config and access log in a temp dir. Missing binaries skip the
 * test with a message ({@code .ci/run} installs both). (The proxy module's ITs have the same helper with
 * dante's username method as well; test classes are not shared between modules.)
 */
final class Upstreams implements AutoCloseable {

    private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private Upstreams(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static Upstreams dante() throws IOException {
        requireBinary("danted", "dante-server");
        Path dir = tempDir();
        int port = freePort();
        Path log = dir.resolve("danted.log");
        Files.writeString(dir.resolve("danted.conf"), String.join("\n",
                "logoutput: " + log, "internal: 127.0.0.1 port = " + port, "external: 127.0.0.1",
                "clientmethod: none", "socksmethod: none", isRoot() ? "user.unprivileged: nobody" : "",
                "client pass {", "  from: 127.0.0.0/8 to: 0.0.0.0/0", "}",
                "socks pass {", "  from: 127.0.0.0/8 to: 127.0.0.0/8", "  command: connect",
                "  log: connect disconnect error", "}", ""), StandardCharsets.UTF_8);
        return start("danted", List.of("danted", "-f", dir.resolve("danted.conf").toString(), "-p",
                dir.resolve("danted.pid").toString()), port, log, dir);
    }

    static Upstreams tinyproxy(String user, String password) throws IOException {
        requireBinary("tinyproxy", "tinyproxy");
        Path dir = tempDir();
        int port = freePort();
        Path log = dir.resolve("tinyproxy.log");
        Files.writeString(dir.resolve("tinyproxy.conf"), String.join("\n",
                "Port " + port, "Listen 127.0.0.1", "LogFile \"" + log + "\"", "LogLevel Connect", "Allow 127.0.0.1",
                "BasicAuth " + user + " " + password, isRoot() ? "User nobody" : "", isRoot() ? "Group nogroup" : "",
                ""), StandardCharsets.UTF_8);
        return start("tinyproxy", List.of("tinyproxy", "-d", "-c", dir.resolve("tinyproxy.conf").toString()), port,
                log, dir);
    }

    private static Upstreams start(String name, List<String> command, int port, Path log, Path dir)
            throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile()).start();
        Upstreams upstream = new Upstreams(name, process, port, log);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return upstream;
            } catch (IOException notYet) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
        upstream.close();
        return fail(name + " did not listen on 127.0.0.1:" + port + ": " + Files.readString(dir.resolve(name + ".out")));
    }

    int port() {
        return port;
    }

    /** Waits (bounded) until the proxy's own log has {@code count} lines {@code line} accepts. */
    void awaitLogLines(Predicate<String> line, int count) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream().filter(line).count()
                    >= count) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // the proxy writes its log asynchronously
        }
        fail(name + "'s log has fewer than " + count + " matching lines:\n"
                + (Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "(no log)"));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void requireBinary(String binary, String aptPackage) {
        boolean found = false;
        for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin").split(File.pathSeparator)) {
            found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, binary));
        }
        assumeTrue(found, binary + " is not installed (apt package " + aptPackage + "; .ci/run installs it): skipped");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path tempDir() throws IOException {
        Path dir = Files.createTempDirectory("upstream");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx")); // proxies drop to nobody
        return dir;
    }
}
