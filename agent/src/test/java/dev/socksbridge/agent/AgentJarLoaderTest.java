package dev.socksbridge.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent jar's inner part: classes under {@code inst/} as {@code .classdata} load in the agent's loader
 * (and their bytes are readable as {@code .class} resources, as Byte Buddy reads the advice); what sits at
 * its class path belongs to the boot part and is not this loader's.
 */
class AgentJarLoaderTest {

    private static final String PROBE = Probe.class.getName();
    private static final String PROBE_FILE = PROBE.replace('.', '/') + ".class";
    private static final String SERVICE = "META-INF/services/dev.socksbridge.shaded.Example";

    @TempDir
    Path dir;

    /** Loaded from the test jar by the loader under test. */
    public static final class Probe implements Supplier<String> {
        @Override
        public String get() {
            return "from inst";
        }
    }

    @Test
    void loadsClassesFromInstInItsOwnLoaderWithTheJarAsCodeSource() throws Exception {
        Path jar = agentJar();
        ClassLoader loader = loaderFor(jar);
        Class<?> probe = Class.forName(PROBE, true, loader);
        assertNotSame(Probe.class, probe);
        assertSame(loader, probe.getClassLoader());
        @SuppressWarnings("unchecked")
        Supplier<String> instance = (Supplier<String>) probe.getConstructor().newInstance();
        assertEquals("from inst", instance.get());
        // AttachMain finds the jar to load into the target JVM this way.
        assertEquals(jar.toUri().toURL(), probe.getProtectionDomain().getCodeSource().getLocation());
    }

    @Test
    void servesClassFilesAndResourcesFromInst() throws Exception {
        ClassLoader loader = loaderFor(agentJar());
        try (InputStream in = loader.getResourceAsStream(PROBE_FILE)) {
            assertArrayEquals(probeBytes(), in.readAllBytes());
        }
        List<URL> services = Collections.list(loader.getResources(SERVICE));
        assertEquals(1, services.size(), services.toString());
        try (InputStream in = services.get(0).openStream()) {
            assertEquals("dev.socksbridge.shaded.ExampleImpl\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        try (InputStream in = loader.getResourceAsStream(SERVICE)) {
            assertEquals("dev.socksbridge.shaded.ExampleImpl\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void classesAtTheirClassPathAreTheBootPartsNotThisLoaders() throws Exception {
        ClassLoader loader = loaderFor(agentJar());
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName("dev.socksbridge.agent.BootPartOnly", false, loader));
        assertNull(loader.getResource("dev/socksbridge/agent/BootPartOnly.class"));
        assertFalse(loader.getResources("no/such/resource").hasMoreElements());
    }

    /** A jar laid out like the agent's: one class at its class path (boot part), the rest under inst/. */
    private Path agentJar() throws IOException {
        Path jar = dir.resolve("socksbridge-agent.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, "dev/socksbridge/agent/BootPartOnly.class", probeBytes());
            put(out, AgentJarLoader.innerName(PROBE_FILE), probeBytes());
            put(out, "inst/" + SERVICE, "dev.socksbridge.shaded.ExampleImpl\n".getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    private static void put(JarOutputStream jar, String name, byte[] bytes) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        jar.write(bytes);
        jar.closeEntry();
    }

    private static byte[] probeBytes() throws IOException {
        try (InputStream in = AgentJarLoaderTest.class.getClassLoader().getResourceAsStream(PROBE_FILE)) {
            return in.readAllBytes();
        }
    }

    /** The loader under test, with the platform loader as parent, as for the agent. */
    private static ClassLoader loaderFor(Path jar) throws IOException {
        return new AgentJarLoader(jar.toFile(), ClassLoader.getPlatformClassLoader());
    }
}
