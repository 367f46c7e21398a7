package dev.socksbridge.proxy.capture;

import java.util.ArrayList;
import java.util.Iterator;
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

    /** How deep {@link #find(String[], int)} looks: an app frame below this is not named (bounded cost). */
    static final int MAX_FRAMES = 256;

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

    /**
     * What one bounded walk found: the caller (as {@link #find()}), the app's own frame (the first
     * non-skipped frame in one of {@code appPrefixes}; none when they are empty) and up to {@code stackDepth}
     * frames outside the JDK and socksbridge, innermost first. One walk, stopped as soon as all three are known.
     */
    public Frames find(String[] appPrefixes, int stackDepth) {
        return walker.walk(frames -> {
            StackWalker.StackFrame caller = null;
            StackWalker.StackFrame app = null;
            List<StackWalker.StackFrame> stack = stackDepth <= 0 ? List.of() : new ArrayList<>(stackDepth);
            Iterator<StackWalker.StackFrame> it = frames.limit(MAX_FRAMES).iterator();
            while (it.hasNext() && (caller == null || app == null && appPrefixes.length > 0
                    || stack.size() < stackDepth)) {
                StackWalker.StackFrame frame = it.next();
                String name = frame.getClassName();
                if (startsWithAny(name, ALWAYS_SKIPPED)) {
                    continue;
                }
                if (stack.size() < stackDepth) {
                    stack.add(frame);
                }
                if (caller == null && !isSkipped(name)) {
                    caller = frame;
                }
                if (app == null && startsWithAny(name, appPrefixes) && !isSkipped(name)) {
                    app = frame;
                }
            }
            return new Frames(caller, app, stack);
        });
    }

    /** The frames {@link #find(String[], int)} found; {@code caller} and {@code app} are null when absent. */
    public record Frames(StackWalker.StackFrame caller, StackWalker.StackFrame app,
            List<StackWalker.StackFrame> stack) {
        /** Nothing looked for: no walk was made. */
        public static final Frames NONE = new Frames(null, null, List.of());
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
