package dev.socksbridge.agent.instrument;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * The hooked classes as rewritten by an earlier JVM, so that the next one with the same agent jar, the
 * same JVM and the same class bytes installs its hooks without Byte Buddy: setting up Advice and
 * rewriting the JDK's socket classes is most of the agent's start-up (about 250 ms of a cold JVM), and
 * test suites and command-line tools start JVMs all the time.
 *
 * <p>A class is stored under a name made of its name, its length and its {@link ClassFileKey}, in a folder
 * named after the agent jar (path, size, time) and the JVM (version, home): a rebuilt agent or another JVM
 * gets a folder of its own; folders unused for {@value #STALE_DAYS} days are removed when a new one is made.
 * Files are written whole or not at all (a temporary file, then an atomic rename), and the folder is the
 * user's only (rwx------): its contents run inside {@code java.net.Socket}. Any error reading or writing
 * is a miss: the class is rewritten as if there were no cache.
 */
public final class HookCache {

    /** No cache ({@code hook-cache=off}). */
    public static final HookCache OFF = new HookCache(null);

    static final int STALE_DAYS = 30;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path folder;
    private volatile boolean enabled;

    private HookCache(Path folder) {
        this.folder = folder;
        this.enabled = folder != null;
    }

    /**
     * The cache of this agent jar and JVM under {@code base}, created if absent.
     *
     * @return {@link #OFF} when {@code base} cannot hold it (not writable, shared with other users)
     */
    public static HookCache under(Path base, Path agentJar) {
        try {
            return new HookCache(prepare(base, base.resolve(identity(agentJar))));
        } catch (IOException | RuntimeException e) {
            return OFF;
        }
    }

    /**
     * The default place: {@code $XDG_CACHE_HOME/socksbridge/hooks}, else {@code ~/.cache/socksbridge/hooks};
     * {@code null} (no cache) when neither names an absolute folder: a JVM without a home directory has
     * {@code user.home} "?", which must not become a folder in the app's working directory.
     */
    public static Path defaultBase() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "socksbridge", "hooks");
        }
        Path home = Path.of(System.getProperty("user.home", ""));
        return home.isAbsolute() && Files.isDirectory(home) ? home.resolve(".cache").resolve("socksbridge").resolve("hooks")
                : null;
    }

    /** What the rewritten class was for exactly these bytes, or {@code null}. */
    byte[] get(String internalName, byte[] original) {
        if (!enabled) {
            return null;
        }
        try {
            Path file = fileOf(internalName, original);
            return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void put(String internalName, byte[] original, byte[] rewritten) {
        if (!enabled) {
            return;
        }
        try {
            Path file = fileOf(internalName, original);
            Path partial = Files.createTempFile(folder, "partial-", ".tmp");
            try {
                Files.write(partial, rewritten);
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException | RuntimeException e) {
            // a miss next time, nothing worse
        }
    }

    /** Stops using the cache (its contents were refused by the JVM) and forgets what it holds. */
    void discard() {
        enabled = false;
        deleteFiles(folder);
    }

    private Path fileOf(String internalName, byte[] original) {
        return folder.resolve(internalName.replace('/', '.') + '-' + original.length + '-'
                + Long.toHexString(ClassFileKey.of(original)) + ".class");
    }

    /** The folder's name: what the rewritten bytes depend on besides the class itself. */
    static String identity(Path agentJar) throws IOException {
        CRC32 crc = new CRC32();
        String of = agentJar.toAbsolutePath() + "|" + Files.size(agentJar) + "|"
                + Files.getLastModifiedTime(agentJar).toMillis() + "|" + System.getProperty("java.vm.version") + "|"
                + System.getProperty("java.home");
        crc.update(of.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    private static Path prepare(Path base, Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            checkPrivate(folder);
            // marks it used: folders of other agent builds and JVMs go after 30 days without a start
            folder.toFile().setLastModified(System.currentTimeMillis()); // java.io: no attribute-view classes to load
            return folder;
        }
        createPrivate(base);
        checkPrivate(base);
        Files.createDirectories(folder);
        ownerOnly(folder);
        removeStale(base, folder);
        return folder;
    }

    private static void createPrivate(Path base) throws IOException {
        if (!Files.isDirectory(base)) {
            Files.createDirectories(base);
            ownerOnly(base);
        }
    }

    private static void ownerOnly(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, OWNER_ONLY);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own defaults apply
        }
    }

    /** A folder others may write to is never read: its classes would run in this JVM. */
    private static void checkPrivate(Path folder) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(folder);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IOException(folder + " is writable by others");
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: only whether it is writable is checked
        }
        if (!Files.isWritable(folder)) {
            throw new IOException(folder + " is not writable");
        }
    }

    /** Loops, not streams: this runs before the app's main, where each lambda costs start-up. */
    private static void removeStale(Path base, Path keep) {
        FileTime cutoff = FileTime.fromMillis(System.currentTimeMillis() - TimeUnit.DAYS.toMillis(STALE_DAYS));
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(base)) {
            for (Path folder : folders) {
                if (!folder.equals(keep) && isOlder(folder, cutoff)) {
                    deleteFiles(folder);
                    folder.toFile().delete();
                }
            }
        } catch (IOException | RuntimeException e) {
            // left for a later start
        }
    }

    private static boolean isOlder(Path folder, FileTime cutoff) {
        try {
            return Files.isDirectory(folder) && Files.getLastModifiedTime(folder).compareTo(cutoff) < 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteFiles(Path folder) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                file.toFile().delete();
            }
        } catch (IOException | RuntimeException e) {
            // what is left is never read again: a discarded folder stays off, a stale one is retried
        }
    }
}
