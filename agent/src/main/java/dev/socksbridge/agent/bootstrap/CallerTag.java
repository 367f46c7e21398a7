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
        long startNanos) {

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
