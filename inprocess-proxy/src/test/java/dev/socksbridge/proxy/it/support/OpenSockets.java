package dev.socksbridge.proxy.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Counts this JVM's open sockets from {@code /proc/self/fd} (Linux), to catch sockets left open. */
public final class OpenSockets {

    private static final Path FDS = Path.of("/proc/self/fd");

    private OpenSockets() {
    }

    public static boolean supported() {
        return Files.isDirectory(FDS);
    }

    /** File descriptors whose link reads {@code socket:[inode]}. */
    public static int count() {
        List<Path> fds;
        try (Stream<Path> listing = Files.list(FDS)) {
            fds = listing.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + FDS, e);
        }
        int sockets = 0;
        for (Path fd : fds) {
            if (isSocket(fd)) {
                sockets++;
            }
        }
        return sockets;
    }

    private static boolean isSocket(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString().startsWith("socket:");
        } catch (NoSuchFileException e) {
            return false; // closed between the listing and this read (the listing's own fd, or any other)
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + fd, e);
        }
    }
}
