package dev.socksbridge.agent.bootstrap;

import java.util.List;

/**
 * Who asked for a connection, taken when the app entered {@code Socket.connect}: the first application
 * frame, the thread, and the destination exactly as the app named it.
 *
 * @param callerClass  {@code null} when no frame outside the JDK, the agent and the excluded packages was found
 * @param callerLine   -1 when unknown
 * @param host         the host name the app gave, or the IP literal when it gave only an address
 * @param startMillis  wall-clock time of the connect call
 * @param startNanos   monotonic time of the connect call, for durations
 * @param appCaller    the first frame in the app's packages ({@code app-packages=}), as
 *                     {@code com.acme.Repo.load(Repo.java:41)}; {@code null} when none was on the stack
 * @param stack        up to {@code stack-depth=} frames outside the JDK, innermost first, in the same form
 * @param connectTimeoutMillis the timeout the app passed to {@code Socket.connect} (0: none), which the
 *                     proxy's dial for this connection uses; -1 when the app gave none (channels)
 */
public record CallerTag(
        String callerClass,
        String callerMethod,
        String callerFile,
        int callerLine,
        String threadName,
        boolean virtual,
        String host,
        int port,
        long startMillis,
        long startNanos,
        String appCaller,
        List<String> stack,
        int connectTimeoutMillis) {

    /** This tag with the app's connect timeout ({@code Socket.connect(endpoint, timeout)}). */
    public CallerTag withConnectTimeout(int millis) {
        return new CallerTag(callerClass, callerMethod, callerFile, callerLine, threadName, virtual, host, port,
                startMillis, startNanos, appCaller, stack, millis);
    }

    public CallerTag {
        stack = stack == null ? List.of() : stack;
    }

    /** A tag without the app's frame and stack. */
    public CallerTag(String callerClass, String callerMethod, String callerFile, int callerLine, String threadName,
            boolean virtual, String host, int port, long startMillis, long startNanos) {
        this(callerClass, callerMethod, callerFile, callerLine, threadName, virtual, host, port, startMillis,
                startNanos, null, List.of(), -1);
    }

    /** This tag with the caller frames of {@code creator} (the code that created the channel elsewhere). */
    public CallerTag withCallerOf(CallerTag creator) {
        return new CallerTag(creator.callerClass, creator.callerMethod, creator.callerFile, creator.callerLine,
                threadName, virtual, host, port, startMillis, startNanos, creator.appCaller, creator.stack,
                connectTimeoutMillis);
    }

    /** This tag with {@code app} as the app's frame (handed over from the thread that made the request). */
    public CallerTag withAppCaller(String app) {
        return new CallerTag(callerClass, callerMethod, callerFile, callerLine, threadName, virtual, host, port,
                startMillis, startNanos, app, stack, connectTimeoutMillis);
    }

    /** {@code com.acme.Billing.charge(Billing.java:88)}: the form of {@link #callerText} and {@code appCaller}. */
    public static String text(StackWalker.StackFrame frame) {
        StackTraceElement element = frame.toStackTraceElement(); // one resolution for all four parts
        String file = element.getFileName();
        int line = element.getLineNumber();
        String where = file == null ? "Unknown Source" : line >= 0 ? file + ":" + line : file;
        return element.getClassName() + "." + element.getMethodName() + "(" + where + ")";
    }

    /** {@code com.acme.Billing.charge(Billing.java:88)}, or {@code unknown}. */
    public String callerText() {
        if (callerClass == null) {
            return "unknown";
        }
        String where = callerFile == null ? "Unknown Source"
                : callerLine >= 0 ? callerFile + ":" + callerLine : callerFile;
        return callerClass + "." + callerMethod + "(" + where + ")";
    }
}
