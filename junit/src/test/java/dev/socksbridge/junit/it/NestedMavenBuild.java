package dev.socksbridge.junit.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a real, offline Maven build of an example project with a private local repository, without
 * ever writing to the user's (shared) local repository:
 * <ul>
 *   <li>the private repository holds only what the test stages into it (the agent jar);</li>
 *   <li>everything else (plugins, JUnit) is read from the outer build's local repository, declared in a
 *       generated settings.xml as the {@code central} repository with a {@code file://} URL;</li>
 *   <li>{@code -o} keeps Maven offline, and {@code -Daether.offline.protocols=file} lets the resolver
 *       still read that {@code file://} repository (no network is ever used).</li>
 * </ul>
 */
final class NestedMavenBuild {

    private static final long TIMEOUT_MINUTES = 10;

    private final Path projectDir;
    private final Path localRepository;
    private final Path settings;
    private final Path output;

    private NestedMavenBuild(Path projectDir, Path localRepository, Path settings, Path output) {
        this.projectDir = projectDir;
        this.localRepository = localRepository;
        this.settings = settings;
        this.output = output;
    }

    /** Copies {@code source} into a fresh directory under {@code workRoot} and prepares its repository. */
    static NestedMavenBuild of(Path source, Path workRoot, Path outerRepository) throws IOException {
        Files.createDirectories(workRoot);
        Path work = Files.createTempDirectory(workRoot, "recipe-");
        Path project = work.resolve("project");
        copyTree(source, project);
        Path repository = Files.createDirectories(work.resolve("repository"));
        Path settings = work.resolve("settings.xml");
        Files.writeString(settings, settingsXml(outerRepository));
        return new NestedMavenBuild(project, repository, settings, work.resolve("maven-output.txt"));
    }

    Path projectDir() {
        return projectDir;
    }

    Path output() {
        return output;
    }

    /** Puts {@code jar} into the private repository as {@code groupId:artifactId:version}, with a minimal pom. */
    void stage(String groupId, String artifactId, String version, Path jar) throws IOException {
        Path dir = localRepository.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version);
        Files.createDirectories(dir);
        Files.copy(jar, dir.resolve(artifactId + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve(artifactId + "-" + version + ".pom"), "<project>\n"
                + "  <modelVersion>4.0.0</modelVersion>\n"
                + "  <groupId>" + groupId + "</groupId>\n"
                + "  <artifactId>" + artifactId + "</artifactId>\n"
                + "  <version>" + version + "</version>\n"
                + "</project>\n");
    }

    /** Runs {@code mvn -o -B ... goals} in the project with this JVM's Java; returns Maven's exit code. */
    int run(Path mavenHome, List<String> goalsAndProperties) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(mavenHome.resolve("bin/mvn").toString(), "-o", "-B",
                "-s", settings.toString(),
                "-Dmaven.repo.local=" + localRepository,
                "-Daether.offline.protocols=file"));
        command.addAll(goalsAndProperties);
        ProcessBuilder builder = new ProcessBuilder(command).directory(projectDir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process maven = builder.start();
        if (!maven.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            maven.descendants().forEach(ProcessHandle::destroyForcibly);
            maven.destroyForcibly();
            throw new AssertionError("nested Maven build did not finish in " + TIMEOUT_MINUTES + " min; output: " + output);
        }
        return maven.exitValue();
    }

    String outputText() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    private static String settingsXml(Path outerRepository) {
        String url = outerRepository.toUri().toString();
        String repository = "<id>central</id><url>" + url + "</url>"
                + "<releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots>";
        return "<settings>\n"
                + "  <profiles>\n"
                + "    <profile>\n"
                + "      <id>outer-local-repository</id>\n"
                + "      <repositories><repository>" + repository + "</repository></repositories>\n"
                + "      <pluginRepositories><pluginRepository>" + repository + "</pluginRepository></pluginRepositories>\n"
                + "    </profile>\n"
                + "  </profiles>\n"
                + "  <activeProfiles><activeProfile>outer-local-repository</activeProfile></activeProfiles>\n"
                + "</settings>\n";
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path relative = source.relativize(path);
                if (relative.startsWith("target")) {
                    continue;
                }
                Path destination = target.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(path, destination);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
