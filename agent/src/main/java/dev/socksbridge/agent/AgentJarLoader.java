package dev.socksbridge.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent proper (its start-up, instrumentation, reports, the proxy, Byte Buddy, SLF4J) from the
 * agent jar's {@code inst/} entries, where classes are stored as {@code .classdata}. Neither the boot
 * loader (which has the jar on its path for the hooks) nor the app's class loader can find them there,
 * so the agent's libraries never meet the app's, and the boot class path holds only the hooks. Resources
 * are served from {@code inst/} too, so {@code ServiceLoader} and Byte Buddy's class file lookup work.
 */
final class AgentJarLoader extends ClassLoader {

    static final String PREFIX = "inst/";
    private static final String CLASS_SUFFIX = ".classdata";

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final String jarUrl;
    private final ProtectionDomain domain;

    AgentJarLoader(File file, ClassLoader parent) throws IOException {
        super("socksbridge", parent);
        this.jar = new JarFile(file, false);
        URL location = file.toURI().toURL();
        this.jarUrl = location.toExternalForm();
        this.domain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null, this, null);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + CLASS_SUFFIX);
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name + " (" + e + ")", e);
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    @Override
    protected URL findResource(String name) {
        String inner = innerName(name);
        if (jar.getJarEntry(inner) == null) {
            return null;
        }
        try {
            return new URL("jar:" + jarUrl + "!/" + inner);
        } catch (MalformedURLException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
    }

    /**
     * Reads the agent's own resources straight from the open jar (Byte Buddy reads every advice class's
     * bytes this way at start-up): no {@code jar:} URL, no second open of the jar. Every file of the jar is
     * in one part only, so what is found under {@code inst/} is nothing a parent loader has: looking here
     * first changes no lookup's result.
     */
    @Override
    public InputStream getResourceAsStream(String name) {
        JarEntry entry = jar.getJarEntry(innerName(name));
        if (entry == null) {
            return super.getResourceAsStream(name);
        }
        try {
            return jar.getInputStream(entry);
        } catch (IOException e) {
            return null;
        }
    }

    /** Where a resource of the agent proper is stored: under inst/, a class file as .classdata. */
    static String innerName(String name) {
        String path = name.startsWith("/") ? name.substring(1) : name;
        return path.endsWith(".class")
                ? PREFIX + path.substring(0, path.length() - ".class".length()) + CLASS_SUFFIX
                : PREFIX + path;
    }
}
