package dev.socksbridge.agent;

import java.lang.instrument.Instrumentation;

/**
 * Starts the agent once per JVM and applies {@code on-error}: if the agent cannot start it warns once and
 * leaves the app untouched ({@code on-error=warn}, the default) or stops the JVM with the reason
 * ({@code on-error=fail}).
 */
final class AgentStarter {

    /**
     * Byte Buddy's switch away from {@code sun.misc.Unsafe} (JDK 25 warns about it). The shade plugin
     * relocates this constant with Byte Buddy, so it is the agent's copy's switch, never the app's. The
     * agent's path (Advice + retransformation, no class injection) does not reach Unsafe today; the switch
     * keeps it that way if a Byte Buddy upgrade changes that, and is removed again after start-up.
     */
    private static final String SAFE_PROPERTY = "net.bytebuddy.safe";

    /** The agent this JVM runs, once started; a second start (attach) only replaces its faults. */
    private static volatile Agent running;

    private AgentStarter() {
    }

    /** Called by {@link AgentMain} through the boot loader. Never throws, except to fail an attach. */
    static synchronized void start(String arguments, Instrumentation instrumentation, boolean attached) {
        if (running != null) {
            again(arguments, attached);
            return;
        }
        AgentOptions.OnError onError = AgentOptions.onErrorOf(arguments);
        boolean safeModeSetHere = setSafeMode();
        try {
            AgentOptions options = AgentOptions.parse(arguments);
            onError = options.onError();
            running = Agent.start(options, instrumentation, attached);
        } catch (Throwable e) {
            failed(e, onError, attached);
        } finally {
            restore(safeModeSetHere);
        }
    }

    /**
     * The agent is already running (attached again, or a second {@code -javaagent}): the new options'
     * {@code fault=} set replaces the running one (none given: all faults removed); nothing else changes.
     */
    private static void again(String arguments, boolean attached) {
        try {
            AgentOptions options = AgentOptions.parse(arguments);
            running.replaceFaults(options.faults());
            System.err.println("socksbridge: agent already running in this JVM; fault set replaced ("
                    + options.faults().size() + " fault(s): " + options.faults()
                    + "); the other options keep their first values until a restart");
        } catch (RuntimeException e) {
            String reason = (e instanceof AgentOptionsException ? e.getMessage() : "socksbridge: " + e)
                    + " (the running agent's faults are unchanged)";
            if (attached && AgentOptions.onErrorOf(arguments) == AgentOptions.OnError.FAIL) {
                throw new IllegalStateException(reason + " (on-error=fail)", e); // fails the attach, not the JVM
            }
            System.err.println(reason);
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

    /** @return whether this call set the switch (and so must remove it) */
    private static boolean setSafeMode() {
        if (System.getProperty(SAFE_PROPERTY) != null) {
            return false;
        }
        System.setProperty(SAFE_PROPERTY, "true");
        return true;
    }

    /** Leaves no trace of the switch for the app. */
    private static void restore(boolean setHere) {
        if (setHere) {
            System.clearProperty(SAFE_PROPERTY);
        }
    }
}
