package dev.socksbridge.agent;

import java.lang.instrument.Instrumentation;

/**
 * {@code -javaagent:socksbridge-agent.jar=OPTIONS} and dynamic attach. Tiny on purpose: it never throws
 * into the app; if the agent cannot start it warns once and leaves the app untouched
 * ({@code on-error=warn}, the default) or stops the JVM with the reason ({@code on-error=fail}).
 */
public final class AgentMain {

    /** Byte Buddy's switch (read under its relocated name) that avoids JDK 25's sun.misc.Unsafe warning. */
    private static final String[] SAFE_PROPERTIES = {"net.bytebuddy.safe", "dev.socksbridge.shaded.net.bytebuddy.safe"};

    private static volatile boolean started;

    private AgentMain() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        if (onBootPath(instrumentation)) {
            start(arguments, instrumentation, false);
        } else {
            startFromBootPath("premain", arguments, instrumentation);
        }
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        if (onBootPath(instrumentation)) {
            start(arguments, instrumentation, true);
        } else {
            startFromBootPath("agentmain", arguments, instrumentation);
        }
    }

    /**
     * This class came from the app class loader (a renamed jar) and the jar was then appended to the boot
     * path: hand over to the boot path's own copy of this class, so that every other agent class is loaded
     * by one loader only. Calling them from here would link app-loaded and boot-loaded copies of the same
     * classes (a LinkageError "loader constraint violation").
     */
    private static void startFromBootPath(String entry, String arguments, Instrumentation instrumentation) {
        try {
            Class.forName(AgentMain.class.getName(), true, null)
                    .getMethod(entry, String.class, Instrumentation.class)
                    .invoke(null, arguments, instrumentation);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause(); // agentmain's on-error=fail reaches the attach CLI
            }
            System.err.println("socksbridge: agent not started: " + e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            System.err.println("socksbridge: agent not started: cannot load it from the boot class path (" + e + ")");
        }
    }

    /**
     * The manifest's {@code Boot-Class-Path} names the jar as {@code socksbridge-agent.jar}; a renamed copy
     * is not found that way and this class then comes from the app class loader. Append the jar at run time
     * instead (the JVM prints a CDS note then), before any other agent class loads, so that they all
     * resolve from the boot path where the advice can see them.
     *
     * @return true when this very class is the one to start the agent (it is on the boot path, or the
     *         append failed and the agent runs from the app class loader as well as it can)
     */
    private static boolean onBootPath(Instrumentation instrumentation) {
        if (AgentMain.class.getClassLoader() == null) {
            return true;
        }
        try {
            java.io.File jar = new java.io.File(
                    AgentMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            instrumentation.appendToBootstrapClassLoaderSearch(new java.util.jar.JarFile(jar));
            return false;
        } catch (Exception | LinkageError e) {
            System.err.println("socksbridge: cannot put the agent jar on the boot class path (" + e
                    + "); callers will not be tagged");
            return true;
        }
    }

    private static synchronized void start(String arguments, Instrumentation instrumentation, boolean attached) {
        if (started) {
            System.err.println("socksbridge: agent already running in this JVM; ignoring the second start");
            return;
        }
        AgentOptions.OnError onError = AgentOptions.onErrorOf(arguments);
        String[] previous = setSafeMode();
        try {
            AgentOptions options = AgentOptions.parse(arguments);
            onError = options.onError();
            Agent.start(options, instrumentation);
            started = true;
        } catch (Throwable e) {
            failed(e, onError, attached);
        } finally {
            restore(previous);
        }
    }

    private static void failed(Throwable e, AgentOptions.OnError onError, boolean attached) {
        String reason = e instanceof AgentOptionsException ? e.getMessage() : "socksbridge: agent not started: " + e;
        if (onError == AgentOptions.OnError.WARN) {
            System.err.println(reason + " (on-error=warn: the app runs without socksbridge)");
            return;
        }
        if (attached) {
            // Never kill a running JVM from an attach: fail the attach instead, the CLI shows the reason.
            throw new IllegalStateException(reason + " (on-error=fail)", e);
        }
        System.err.println(reason + " (on-error=fail: stopping the JVM)");
        System.err.flush();
        Runtime.getRuntime().halt(1);
    }

    private static String[] setSafeMode() {
        String[] previous = new String[SAFE_PROPERTIES.length];
        for (int i = 0; i < SAFE_PROPERTIES.length; i++) {
            previous[i] = System.getProperty(SAFE_PROPERTIES[i]);
            if (previous[i] == null) {
                System.setProperty(SAFE_PROPERTIES[i], "true");
            }
        }
        return previous;
    }

    /** Leaves no trace of the switch for the app (Byte Buddy read it when its classes initialised). */
    private static void restore(String[] previous) {
        for (int i = 0; i < SAFE_PROPERTIES.length; i++) {
            if (previous[i] == null) {
                System.clearProperty(SAFE_PROPERTIES[i]);
            }
        }
    }
}
