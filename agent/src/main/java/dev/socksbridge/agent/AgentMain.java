package dev.socksbridge.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.util.Enumeration;
import java.util.jar.JarFile;

/**
 * {@code -javaagent:socksbridge-agent.jar=OPTIONS}, dynamic attach and {@code java -jar socksbridge-agent.jar}.
 * A launcher that refers to no other agent class but {@link AgentJarLoader}: it makes sure the hooks'
 * package ({@code dev.socksbridge.agent.bootstrap}) is on the boot class path, then starts the agent proper
 * in its own class loader, which reads it from the jar's {@code inst/} entries. Only this class, the loader
 * and the hooks are on the boot class path; Byte Buddy, the proxy and the reports are not. It never
 * throws into the app.
 */
public final class AgentMain {

    private static final String STARTER = "dev.socksbridge.agent.AgentStarter";
    private static final String CLI = "dev.socksbridge.agent.AttachMain";
    private static final String SELF = "dev/socksbridge/agent/AgentMain.class";

    /**
     * The agent's class loader, one per JVM (this class is boot-loaded, so it has one copy): a second start
     * (an attach to a JVM that already runs the agent) must meet the first one's {@code AgentStarter} to be
     * refused as such.
     */
    private static ClassLoader agentLoader;

    private AgentMain() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, false);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, true);
    }

    /** {@code java -jar socksbridge-agent.jar list|attach}: the CLI, loaded like the agent (it checks options). */
    public static void main(String[] args) throws Throwable {
        // The system class loader as parent: the CLI needs the JDK's attach API (module jdk.attach).
        ClassLoader loader = new AgentJarLoader(agentJar(), ClassLoader.getSystemClassLoader());
        Method main = Class.forName(CLI, true, loader).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void start(String arguments, Instrumentation instrumentation, boolean attached) {
        try {
            onBootPath(instrumentation);
            Method start = Class.forName(STARTER, true, agentLoader())
                    .getDeclaredMethod("start", String.class, Instrumentation.class, boolean.class);
            start.setAccessible(true);
            start.invoke(null, arguments, instrumentation, attached);
        } catch (InvocationTargetException e) {
            // Only an attach with on-error=fail gets here: fail the attach, the target keeps running.
            if (e.getCause() instanceof RuntimeException failure && attached) {
                throw failure;
            }
            System.err.println("socksbridge: agent not started: " + e.getCause());
        } catch (Throwable e) {
            System.err.println("socksbridge: agent not started: " + e + " (the app runs without socksbridge)");
        }
    }

    /** The platform loader as parent: the agent sees the JDK and the boot path, never the app's classes. */
    private static synchronized ClassLoader agentLoader() throws Exception {
        if (agentLoader == null) {
            agentLoader = new AgentJarLoader(agentJar(), ClassLoader.getPlatformClassLoader());
        }
        return agentLoader;
    }

    /**
     * The manifest's {@code Boot-Class-Path} names the jar {@code socksbridge-agent.jar}; a renamed copy is
     * not found that way, and this class then comes from the app class loader. Append the jar at run time
     * instead (the JVM prints a CDS note then): the boot loader finds only the boot part in it.
     */
    private static void onBootPath(Instrumentation instrumentation) throws Exception {
        if (AgentMain.class.getClassLoader() == null) {
            return;
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(agentJar()));
    }

    /**
     * The jar this class came from. A boot-loaded class has no code source, so it is found as a resource:
     * the boot loader serves it when the jar was on its path from the start (-javaagent); after a dynamic
     * attach only the system class loader does, which appended the agent jar last to its class path.
     */
    static File agentJar() throws Exception {
        URL self = AgentMain.class.getResource("/" + SELF);
        if (self == null) {
            Enumeration<URL> all = ClassLoader.getSystemClassLoader().getResources(SELF);
            while (all.hasMoreElements()) {
                self = all.nextElement();
            }
        }
        if (self == null || !"jar".equals(self.getProtocol())) {
            throw new IllegalStateException("cannot find the agent jar (" + SELF + " found at " + self + ")");
        }
        String file = self.getFile(); // file:/path/socksbridge-agent.jar!/dev/socksbridge/agent/AgentMain.class
        return new File(new URI(file.substring(0, file.lastIndexOf("!/"))));
    }
}
