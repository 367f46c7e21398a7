package dev.socksbridge.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.jar.JarFile;

/**
 * {@code -javaagent:socksbridge-agent.jar=OPTIONS} and dynamic attach. A trampoline that refers to no
 * other agent class: it makes sure the jar is on the boot class path, then calls the real start-up
 * through the boot loader, so every agent class (including those the advice in {@code java.base} calls)
 * has exactly one, boot-loaded, copy. It never throws into the app.
 */
public final class AgentMain {

    private static final String STARTER = "dev.socksbridge.agent.AgentStarter";

    private AgentMain() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, false);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, true);
    }

    private static void start(String arguments, Instrumentation instrumentation, boolean attached) {
        try {
            onBootPath(instrumentation);
            Method start = Class.forName(STARTER, true, null)
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

    /**
     * The manifest's {@code Boot-Class-Path} names the jar {@code socksbridge-agent.jar}; a renamed copy is
     * not found that way, and this class then comes from the app class loader. Append the jar at run time
     * instead (the JVM prints a CDS note then).
     */
    private static void onBootPath(Instrumentation instrumentation) throws Exception {
        if (AgentMain.class.getClassLoader() == null) {
            return;
        }
        File jar = new File(AgentMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar));
    }
}
