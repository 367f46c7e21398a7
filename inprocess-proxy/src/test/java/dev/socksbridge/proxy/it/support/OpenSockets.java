package dev.socksbridge.proxy.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Counts this JVM's open sockets from {@code /proc/self/fd} (Linux), to catch sockets left open. */
public final class OpenSockets {

    private static final Path FDS = Path.of("/proc/self/fd");

    private OpenSockets() {
    }

    public static boolean supported() {
        return Files.isDirectory(FDS);
    }

    /**
     * Distinct network (non-Unix-domain) sockets open in this JVM. Distinct inodes, and no Unix sockets,
     * because the JDK closes a socket another thread is blocked on by first dup2-ing a private
     * socketpair end onto its descriptor: that marker is created lazily, lives as long as the JVM and
     * can appear under several descriptors for a moment. The server and the tests use only TCP.
     */
    public static int count() {
        Set<String> sockets = new HashSet<>(inodes());
        sockets.removeAll(unixSocketInodes());
        return sockets.size();
    }

    private static Set<String> unixSocketInodes() {
        Set<String> inodes = new HashSet<>();
        for (String row : readLines(Path.of("/proc/net/unix"))) {
            String[] fields = row.trim().split("\\s+");
            if (fields.length > 6) {
                inodes.add(fields[6]);
            }
        }
        return inodes;
    }

    /**
     * For a failure message: this JVM's sockets counted by TCP state (from /proc/net/tcp and tcp6, in
     * the kernel's hex: 01 established, 08 close-wait, 0A listen; "none" = not in those tables, e.g.
     * reset or not TCP) and, for the states other than close-wait, "local -> remote" in hex, at most
     * {@code max} of them.
     */
    public static String describe(int max) {
        Set<String> mine = new HashSet<>(inodes());
        Map<String, Integer> byState = new TreeMap<>();
        List<String> listed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String row : readLines(Path.of(table))) {
                String[] f = row.trim().split("\\s+");
                if (f.length > 9 && mine.contains(f[9])) {
                    seen.add(f[9]);
                    byState.merge(f[3], 1, Integer::sum);
                    if (!"08".equals(f[3]) && listed.size() < max) {
                        listed.add(f[1] + " -> " + f[2] + " st=" + f[3]);
                    }
                }
            }
        }
        byState.put("none", mine.size() - seen.size());
        mine.removeAll(seen);
        return mine.size() + seen.size() + " sockets by state " + byState + ", not close-wait: " + listed
                + ", others in " + otherTables(mine);
    }

    /** Which other /proc/net table (udp, unix, netlink, ...) lists each of {@code inodes}. */
    private static List<String> otherTables(Set<String> inodes) {
        List<String> found = new ArrayList<>();
        for (String table : List.of("udp", "udp6", "unix", "netlink", "raw", "raw6")) {
            for (String row : readLines(Path.of("/proc/net", table))) {
                for (String field : row.trim().split("\\s+")) {
                    if (inodes.contains(field)) {
                        found.add(table + ": " + row.trim());
                    }
                }
            }
        }
        return found;
    }

    private static List<String> inodes() {
        List<Path> fds;
        try (Stream<Path> listing = Files.list(FDS)) {
            fds = listing.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + FDS, e);
        }
        List<String> inodes = new ArrayList<>();
        for (Path fd : fds) {
            String link = readLink(fd);
            if (link.startsWith("socket:[")) {
                inodes.add(link.substring("socket:[".length(), link.length() - 1));
            }
        }
        return inodes;
    }

    private static String readLink(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (NoSuchFileException e) {
            return ""; // closed between the listing and this read (the listing's own fd, or any other)
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + fd, e);
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }
}
