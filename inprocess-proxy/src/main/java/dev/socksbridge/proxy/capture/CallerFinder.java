package dev.socksbridge.proxy.capture;

import java.util.List;
import java.util.Optional;

/**
 * Finds the code that asked for a connection: the first stack frame on the current thread outside the JDK
 * ({@code java.}, {@code javax.}, {@code jdk.}, {@code sun.}, {@code com.sun.}), socksbridge itself, and the
 * relocated copies of Netty, and the prefixes its user adds (the agent: Netty and {@code caller-exclude=}; the JUnit extension: JUnit).
 */
public final class CallerFinder {

    private static final String[] ALWAYS_SKIPPED = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.",
        "dev.socksbridge.agent.", "dev.socksbridge.proxy.", "dev.socksbridge.shaded."
    };
    /** The JUnit extension's own package; not its sub-packages, where tests and samples may live. */
    private static final String JUNIT_EXTENSION_PACKAGE = "dev.socksbridge.junit.";
    /** Netty relocated into a library that bundles it (gRPC's {@code io.grpc.netty.shaded.io.netty.}): plumbing. */
    private static final String RELOCATED_NETTY = ".io.netty.";

    private final StackWalker walker = StackWalker.getInstance();
    private final String[] skippedPrefixes;

    /** @param skippedPrefixes class-name prefixes skipped as well, e.g. {@code org.postgresql.} */
    public CallerFinder(List<String> skippedPrefixes) {
        this.skippedPrefixes = skippedPrefixes.toArray(new String[0]);
    }

    /** The caller's frame, or empty when the stack holds no frame outside the skipped code. */
    public Optional<StackWalker.StackFrame> find() {
        return walker.walk(frames -> frames.filter(f -> !isSkipped(f.getClassName())).findFirst());
    }

    public boolean isSkipped(String className) {
        return className.startsWith(JUNIT_EXTENSION_PACKAGE)
                && className.indexOf('.', JUNIT_EXTENSION_PACKAGE.length()) < 0
                || startsWithAny(className, ALWAYS_SKIPPED) || startsWithAny(className, skippedPrefixes)
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
