package dev.socksbridge.agent.bootstrap;

import java.util.List;
import java.util.Optional;

/**
 * Finds the first stack frame that belongs to the application: not the JDK ({@code java.}, {@code javax.},
 * {@code jdk.}, {@code sun.}, {@code com.sun.}), not the agent, not Netty ({@code io.netty.}), and not a package the user excluded with
 * {@code caller-exclude=} (a database driver, an HTTP library...), so the log names the code that asked.
 */
final class CallerFinder {

    private static final String[] ALWAYS_SKIPPED = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "dev.socksbridge.agent.", "dev.socksbridge.shaded.",
        "dev.socksbridge.proxy.",
        // Netty connects on its event loop; its frames never name the app (see ChannelHooks.madeNonBlocking)
        "io.netty."
    };

    /** Netty relocated into a library that bundles it (gRPC's {@code io.grpc.netty.shaded.io.netty.}). */
    private static final String RELOCATED_NETTY = ".io.netty.";

    private final StackWalker walker = StackWalker.getInstance();
    private final String[] excluded;

    CallerFinder(List<String> excludedPrefixes) {
        this.excluded = excludedPrefixes.toArray(new String[0]);
    }

    Optional<StackWalker.StackFrame> find() {
        return walker.walk(frames -> frames.filter(f -> !skipped(f.getClassName())).findFirst());
    }

    private boolean skipped(String className) {
        return startsWithAny(className, ALWAYS_SKIPPED) || startsWithAny(className, excluded)
                || className.contains(RELOCATED_NETTY);
    }

    private static boolean startsWithAny(String className, String[] prefixes) {
        for (String prefix : prefixes) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
