package dev.socksbridge.it;

import org.testcontainers.utility.DockerImageName;

/** The image every container IT runs, chosen by a test property so a machine with a registry can use a public one. */
final class TestImages {
    /** Built without a registry by .ci/docker-setup.sh (a debootstrapped Debian plus the host's JDK 25). */
    static final String DEFAULT_IMAGE = "local/jdk25:1";
    static final String IMAGE_PROPERTY = "socksbridge.test.image";

    private TestImages() {
    }

    /** Any image with {@code java} (17+) on its PATH, e.g. {@code -Dsocksbridge.test.image=eclipse-temurin:25-jre}. */
    static DockerImageName jdk() {
        return DockerImageName.parse(System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE));
    }
}
