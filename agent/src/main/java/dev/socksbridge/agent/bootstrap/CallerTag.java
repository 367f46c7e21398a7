package dev.socksbridge.agent.bootstrap;

/**
 * Who asked for a connection, taken when the app entered {@code Socket.connect}: the first application
 * frame, the thread, and the destination exactly as the app named it.
 *
 * @param callerClass  {@code null} when no frame outside the JDK, the agent and the excluded packages was found
 * @param callerLine   -1 when unknown
 * @param host         the host name the app gave, or the IP literal when it gave only an address
 * @param startMillis  wall-clock time of the connect call
 * @param startNanos   monotonic time of the connect call, for durations
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
        int connectTimeoutMillis) {

    /** A tag without an app connect timeout. */
    public CallerTag(String callerClass, String callerMethod, String callerFile, int callerLine, String threadName,
            boolean virtual, String host, int port, long startMillis, long startNanos) {
        this(callerClass, callerMethod, callerFile, callerLine, threadName, virtual, host, port, startMillis,
                startNanos, -1);
    }

    /** This tag with the app's connect timeout ({@code Socket.connect(endpoint, timeout)}). */
    public CallerTag withConnectTimeout(int millis) {
        return new CallerTag(callerClass, callerMethod, callerFile, callerLine, threadName, virtual, host, port,
                startMillis, startNanos, millis);
    }

    /** This tag with the caller frame of {@code creator} (the code that created the channel elsewhere). */
    public CallerTag withCallerOf(CallerTag creator) {
        return new CallerTag(creator.callerClass, creator.callerMethod, creator.callerFile, creator.callerLine,
                threadName, virtual, host, port, startMillis, startNanos, connectTimeoutMillis);
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
