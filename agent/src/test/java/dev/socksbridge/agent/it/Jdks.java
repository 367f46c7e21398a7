package dev.socksbridge.agent.it;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds an installed JDK of a given major version the way {@code .ci/run} does: an explicit
 * {@code -Dsocksbridge.javaN=PATH} (a java binary) or {@code $JAVAN_HOME} first, else the {@code release}
 * file of each JDK under {@code /usr/lib/jvm}.
 */
final class Jdks {

    private static final Path JVM_DIR = Path.of("/usr/lib/jvm");

    private Jdks() {
    }

    static Optional<String> find(int major) {
        String property = System.getProperty("socksbridge.java" + major, "");
        if (!property.isBlank()) {
            return executable(Path.of(property));
        }
        String home = System.getenv("JAVA" + major + "_HOME");
        if (home != null && !home.isBlank()) {
            return executable(Path.of(home, "bin", "java"));
        }
        try (DirectoryStream<Path> jdks = Files.newDirectoryStream(JVM_DIR)) {
            for (Path jdk : jdks) {
                if (major(jdk) == major) {
                    Optional<String> java = executable(jdk.resolve("bin/java"));
                    if (java.isPresent()) {
                        return java;
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty(); // no /usr/lib/jvm: nothing installed there
        }
        return Optional.empty();
    }

    static String whereLooked(int major) {
        return "no JDK " + major + " in -Dsocksbridge.java" + major + ", $JAVA" + major + "_HOME or the release files under "
                + JVM_DIR + " (Debian: apt-get install openjdk-" + major + "-jdk-headless)";
    }

    /** JAVA_VERSION="17.0.15" -> 17; "1.8.0" -> 8; -1 when unreadable. */
    private static int major(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String[] parts = line.substring(line.indexOf('"') + 1).split("[.\"]");
                    int first = Integer.parseInt(parts[0]);
                    return first == 1 ? Integer.parseInt(parts[1]) : first;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1; // not a JDK with a readable release file
        }
        return -1;
    }

    private static Optional<String> executable(Path java) {
        return Files.isExecutable(java) ? Optional.of(java.toString()) : Optional.empty();
    }
}
