package dev.socksbridge.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookCacheTest {

    @TempDir
    Path dir;
    private Path jar;
    private byte[] socket;

    @BeforeEach
    void setUp() throws Exception {
        jar = Files.write(dir.resolve("socksbridge-agent.jar"), new byte[] {1, 2, 3});
        try (InputStream in = Object.class.getResourceAsStream("/java/net/Socket.class")) {
            socket = in.readAllBytes();
        }
    }

    @Test
    void aRewrittenClassIsServedForTheSameBytesOnly() {
        HookCache cache = HookCache.under(dir.resolve("hooks"), jar);
        assertNull(cache.get("java/net/Socket", socket));
        byte[] rewritten = {(byte) 0xCA, (byte) 0xFE, 1};
        cache.put("java/net/Socket", socket, rewritten);

        assertArrayEquals(rewritten, HookCache.under(dir.resolve("hooks"), jar).get("java/net/Socket", socket),
                "a later JVM finds it");
        byte[] other = socket.clone();
        other[other.length - 1] ^= 1;
        assertNull(cache.get("java/net/Socket", other), "other bytes, another entry");
        assertNull(cache.get("java/net/Other", socket), "another class, another entry");
    }

    @Test
    void theFolderIsTheUsersOnlyAndAFolderOthersMayWriteIsNotUsed() throws Exception {
        Path base = dir.resolve("hooks");
        HookCache.under(base, jar);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(base)));

        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        HookCache cache = HookCache.under(shared, jar);
        assertSame(HookCache.OFF, cache);
        cache.put("java/net/Socket", socket, new byte[] {1});
        assertNull(cache.get("java/net/Socket", socket));
    }

    @Test
    void anotherAgentJarHasItsOwnFolderAndOldFoldersAreRemoved() throws Exception {
        Path base = dir.resolve("hooks");
        HookCache.under(base, jar).put("java/net/Socket", socket, new byte[] {1});
        Path old;
        try (Stream<Path> folders = Files.list(base)) {
            old = folders.findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 31L * 24 * 3600 * 1000));
        Files.write(jar, new byte[] {1, 2, 3, 4}); // rebuilt

        HookCache rebuilt = HookCache.under(base, jar);
        assertNull(rebuilt.get("java/net/Socket", socket));
        assertFalse(Files.exists(old), "a folder unused for 30 days goes when a new one is made");
    }

    @Test
    void aFolderStillUsedIsKeptWhenAnotherIsMade() throws Exception {
        Path base = dir.resolve("hooks");
        HookCache.under(base, jar).put("java/net/Socket", socket, new byte[] {1});
        Path used;
        try (Stream<Path> folders = Files.list(base)) {
            used = folders.findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(used, FileTime.fromMillis(System.currentTimeMillis() - 31L * 24 * 3600 * 1000));
        HookCache.under(base, jar); // a start with this jar: the folder is in use
        Path other = Files.write(dir.resolve("other-agent.jar"), new byte[] {9});
        HookCache.under(base, other);
        assertTrue(Files.exists(used), "used by a start today, so not stale");
    }

    @Test
    void discardForgetsEverythingAndStopsServing() throws Exception {
        HookCache cache = HookCache.under(dir.resolve("hooks"), jar);
        cache.put("java/net/Socket", socket, new byte[] {1});
        cache.discard();
        assertNull(cache.get("java/net/Socket", socket));
        assertNull(HookCache.under(dir.resolve("hooks"), jar).get("java/net/Socket", socket));
        try (Stream<Path> folders = Files.list(dir.resolve("hooks"))) {
            assertTrue(folders.allMatch(folder -> listing(folder).isEmpty()));
        }
    }

    @Test
    void anUnwritablePlaceMeansNoCache() {
        assertSame(HookCache.OFF, HookCache.under(jar.resolve("below-a-file"), jar));
    }

    private static List<String> listing(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(Path::toString).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

}
