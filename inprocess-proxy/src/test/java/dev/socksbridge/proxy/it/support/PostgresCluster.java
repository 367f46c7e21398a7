package dev.socksbridge.proxy.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL cluster: {@code initdb} into a temporary directory, {@code pg_ctl start} on
 * 127.0.0.1 and a free port (PostgreSQL cannot be given port 0: a port is taken from the OS and released
 * just before), trust authentication for user {@code test}. PostgreSQL refuses to run as root, so as root
 * it runs as the {@code postgres} user ({@code runuser}). {@code .ci/run} installs the {@code postgresql}
 * package; without its binaries the test is skipped and says so.
 */
public final class PostgresCluster implements Closeable {

    private static final long COMMAND_SECONDS = 120;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgres;

    private PostgresCluster(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    public static PostgresCluster start() throws IOException, InterruptedException {
        Path bin = findBin().orElse(null);
        Assumptions.assumeTrue(bin != null, "NOT TESTED: no PostgreSQL server binaries (initdb, pg_ctl) under "
                + "/usr/lib/postgresql/*/bin; .ci/run installs them with apt-get install postgresql");
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("socksbridge-pg");
        if (root) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        PostgresCluster cluster = new PostgresCluster(bin, dir, port, root);
        cluster.run("initdb", "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "test", "--no-sync");
        cluster.run("pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-t", "60", "-l", dir.resolve("log").toString(),
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        return cluster;
    }

    public int port() {
        return port;
    }

    /** A pgjdbc URL for database {@code postgres} as user {@code test}, plus {@code extra} parameters. */
    public String url(String extra) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=test" + extra;
    }

    @Override
    public void close() throws IOException {
        try {
            run("pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-m", "immediate", "stop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private void run(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (asPostgres) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile("pg-tool", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .directory(dir.toFile()).start();
            if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(tool + " did not finish in " + COMMAND_SECONDS + " s: " + command);
            }
            if (process.exitValue() != 0) {
                fail(tool + " failed (exit " + process.exitValue() + "): " + command + "\n"
                        + Files.readString(output, StandardCharsets.UTF_8) + logTail());
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private String logTail() throws IOException {
        Path log = dir.resolve("log");
        return Files.exists(log) ? "\nserver log:\n" + Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static Optional<Path> findBin() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(Path::toString));
        }
    }
}
