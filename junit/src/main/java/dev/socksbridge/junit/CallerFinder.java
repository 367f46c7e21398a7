package dev.socksbridge.junit;

import java.util.Optional;

/**
 * Finds the code that asked for a connection: the first frame that belongs to neither the JDK, JUnit,
 * nor socksbridge itself. Runs inside {@link java.net.ProxySelector#select}, which the JDK calls on the
 * connecting thread.
 */
final class CallerFinder {

    private static final String OWN_PACKAGE = CallerFinder.class.getPackageName();
    private static final String[] SKIPPED_PREFIXES = {
        "java.", "javax.", "sun.", "jdk.", "com.sun.", "org.junit.", "org.opentest4j.", "dev.socksbridge.proxy.",
        "dev.socksbridge.agent."
    };
    private static final StackWalker WALKER = StackWalker.getInstance();

    private CallerFinder() {
    }

    static CallSite find() {
        Optional<StackWalker.StackFrame> frame = WALKER.walk(frames -> frames
                .filter(f -> !isSkipped(f.getClassName()))
                .findFirst());
        return frame.map(f -> new CallSite(f.getClassName(), f.getMethodName(), f.getFileName(), f.getLineNumber()))
                .orElse(CallSite.UNKNOWN);
    }

    /** True when the JDK's own HTTP client asks: it ignores SOCKS proxies (JDK-8214516) and connects directly. */
    static boolean isJdkHttpClient() {
        return WALKER.walk(frames -> frames.anyMatch(f -> f.getClassName().startsWith("jdk.internal.net.http.")));
    }

    static boolean isSkipped(String className) {
        // Only the extension's own package, not sub-packages: tests and samples may live below it.
        int lastDot = className.lastIndexOf('.');
        if (lastDot > 0 && className.substring(0, lastDot).equals(OWN_PACKAGE)) {
            return true;
        }
        for (String prefix : SKIPPED_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
