package dev.socksbridge.proxy.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/** Writes seeded random bytes and reads streams to EOF, returning SHA-256 of what passed and its length. */
public final class HashedStreams {

    private static final int CHUNK = 64 * 1024;

    /** How many bytes went by and their SHA-256 in hex. */
    public record Digest(long length, String sha256) {
    }

    private HashedStreams() {
    }

    /** Writes {@code length} pseudo-random bytes from {@code seed} (a fast generator: 64 MiB must not take long). */
    public static Digest writeRandom(OutputStream out, long seed, long length) throws IOException {
        MessageDigest sha = sha256();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[CHUNK];
        long remaining = length;
        while (remaining > 0) {
            int n = (int) Math.min(chunk.length, remaining);
            fill(random, chunk, n);
            out.write(chunk, 0, n);
            sha.update(chunk, 0, n);
            remaining -= n;
        }
        out.flush();
        return new Digest(length, HexFormat.of().formatHex(sha.digest()));
    }

    /**
     * On a thread of its own, writes {@code length} random bytes to {@code socket} and then half-closes
     * it, so the caller can read at the same time (neither side can then block the other).
     */
    public static CompletableFuture<Digest> sendThenHalfClose(Socket socket, long seed, long length) {
        CompletableFuture<Digest> sent = new CompletableFuture<>();
        Thread writer = new Thread(() -> {
            try {
                Digest digest = writeRandom(socket.getOutputStream(), seed, length);
                socket.shutdownOutput();
                sent.complete(digest);
            } catch (IOException | RuntimeException e) {
                sent.completeExceptionally(e);
            }
        }, "test-random-writer-" + seed);
        writer.setDaemon(true);
        writer.start();
        return sent;
    }

    /** Reads until EOF. */
    public static Digest readToEof(InputStream in) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[CHUNK];
        long length = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            sha.update(buffer, 0, n);
            length += n;
        }
        return new Digest(length, HexFormat.of().formatHex(sha.digest()));
    }

    private static void fill(SplittableRandom random, byte[] chunk, int n) {
        for (int i = 0; i < n; i += 8) {
            long bits = random.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) {
                chunk[i + j] = (byte) (bits >>> (8 * j));
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
