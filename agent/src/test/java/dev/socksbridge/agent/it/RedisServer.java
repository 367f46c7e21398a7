package dev.socksbridge.agent.it;

import static org.junit.jupiter.api.Assertions.fail;

import dev.socksbridge.proxy.it.support.Await;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway {@code redis-server} on 127.0.0.1, without persistence, in a temporary directory. Redis cannot
 * be given port 0, so a port is taken from the OS and released just before (as {@code PostgresCluster}
 * does). {@code .ci/run} installs the {@code redis-server} package (its own service is not used); without
 * the binary the test is skipped and says so.
 */
final class RedisServer implements AutoCloseable {

    private static final long START_SECONDS = 30;
    private static final long STOP_SECONDS = 20;

    private final Process process;
    private final Path dir;
    private final int port;

    private RedisServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    static RedisServer start() throws IOException, InterruptedException {
        Path binary = findBinary().orElse(null);
        Assumptions.assumeTrue(binary != null, "NOT TESTED: redis-server not installed (not on the PATH); "
                + ".ci/run installs it with apt-get install redis-server");
        Path dir = Files.createTempDirectory("socksbridge-redis");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        Process process = new ProcessBuilder(binary.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        RedisServer server = new RedisServer(process, dir, port);
        try {
            server.awaitPong();
        } catch (IOException | RuntimeException | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    int port() {
        return port;
    }

    /** Stops the server (SIGTERM, then SIGKILL if it does not exit in time) and deletes its directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            process.destroy();
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    /** Waits (bounded) until the server answers PING with +PONG; fails with its log if it never does or dies. */
    private void awaitPong() throws IOException {
        Await.until("redis-server on 127.0.0.1:" + port + " answers PING", Duration.ofSeconds(START_SECONDS),
                () -> !process.isAlive() || answersPing(), this::log);
        if (!process.isAlive()) {
            fail("redis-server on 127.0.0.1:" + port + " exited before answering PING\n" + log());
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes("+PONG".length());
            return "+PONG".equals(new String(reply, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false; // not listening yet (or still loading): the caller tries again, bounded
        }
    }

    private static Optional<Path> findBinary() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String entry : List.of((path + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/usr/sbin")
                .split(File.pathSeparator))) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "redis-server"))) {
                return Optional.of(Path.of(entry, "redis-server"));
            }
        }
        return Optional.empty();
    }
}
