package dev.socksbridge.agent.inventory;

/**
 * One line of the {@code events=} file as the inventory reads it: a connection, a name lookup or the
 * datagram totals of one destination and call site. Numbers the schema allows to be null are -1 here,
 * strings stay null.
 *
 * @param targetHost the destination as the app named it; for a lookup the name looked up
 * @param resolved   the address reached ({@code ip:port}); for a lookup the addresses found, {@code |}-separated
 */
public record EgressEvent(
        long id,
        long startMillis,
        String route,
        String protocol,
        String command,
        String targetHost,
        int targetPort,
        String resolved,
        String outcome,
        long bytesUp,
        long bytesDown,
        long durationMillis,
        String policy,
        String callerClass,
        String callerMethod,
        String callerFile,
        int callerLine,
        String thread,
        String failure) {

    /** What the event describes. */
    public enum Kind { CONNECTION, LOOKUP, DATAGRAMS }

    public Kind kind() {
        if ("dns".equals(protocol) || "resolve".equals(command)) {
            return Kind.LOOKUP;
        }
        if ("udp".equals(protocol) || "send".equals(command)) {
            return Kind.DATAGRAMS;
        }
        return Kind.CONNECTION;
    }

    /** {@code host:port} as the app named it, IPv6 literals in brackets; the bare name for a lookup. */
    public String destination() {
        if (targetPort < 0) {
            return targetHost;
        }
        return targetHost.indexOf(':') >= 0 ? "[" + targetHost + "]:" + targetPort : targetHost + ":" + targetPort;
    }

    /**
     * The host of {@code host:port} or {@code [v6]:port}: {@code 1.2.3.4:80} -> {@code 1.2.3.4},
     * {@code [::1]:80} -> {@code ::1}; a text without a port (a bare IPv6 literal, {@code *.example.com}) as it is.
     */
    public static String hostOf(String hostPort) {
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close > 0 ? hostPort.substring(1, close) : hostPort;
        }
        int colon = hostPort.indexOf(':');
        return colon > 0 && colon == hostPort.lastIndexOf(':') ? hostPort.substring(0, colon) : hostPort;
    }

    /** The calling class, {@code unknown} when none was found, {@code external} for another process's client. */
    public String callerName() {
        if (callerClass != null) {
            return callerClass;
        }
        return thread == null && "proxy".equals(route) ? "external" : "unknown";
    }

    /** {@code method(File.java:12)}, or null when the caller is unknown. */
    public String callSite() {
        if (callerClass == null) {
            return null;
        }
        String where = callerFile == null ? "Unknown Source" : callerLine >= 0 ? callerFile + ":" + callerLine : callerFile;
        return callerMethod + "(" + where + ")";
    }

    public boolean ok() {
        return "ok".equals(outcome);
    }

    public boolean denied() {
        return "denied".equals(policy);
    }

    public boolean wouldDeny() {
        return "would-deny".equals(policy);
    }
}
