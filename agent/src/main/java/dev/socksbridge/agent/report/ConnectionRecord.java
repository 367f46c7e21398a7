package dev.socksbridge.agent.report;

import dev.socksbridge.agent.bootstrap.CallerTag;

/**
 * One finished connection as the agent reports it, whether it went through the in-process proxy or
 * not. Byte counts are -1 for a direct connection (the proxy did not relay it, so nothing counted it).
 *
 * @param id          the agent's own sequence number, shared by proxy and direct connections
 * @param route       {@code proxy} or {@code direct}
 * @param protocol    e.g. {@code socks5}; {@code tcp} for a direct connection
 * @param command     e.g. {@code connect}
 * @param targetHost  the destination as the app named it (host name when it had one)
 * @param resolved    the address reached ({@code ip:port}), or {@code null} when none was reached
 * @param outcome     e.g. {@code ok}, {@code denied}, {@code refused}
 * @param replyCode   the SOCKS reply code sent to the app, or -1
 * @param verdict     {@code allowed}, {@code would-deny} (monitor mode) or {@code denied}
 * @param caller      who connected; {@code null} when the connection carried no tag (an external client)
 * @param faults      the fault types that acted on it, comma-separated ({@code latency,reset_peer}), or {@code null}
 */
public record ConnectionRecord(
        long id,
        long startMillis,
        String route,
        String protocol,
        String command,
        String targetHost,
        int targetPort,
        String resolved,
        String outcome,
        int replyCode,
        long bytesUp,
        long bytesDown,
        long durationMillis,
        String verdict,
        CallerTag caller,
        String failure,
        String faults) {

    /** A record no fault touched. */
    public ConnectionRecord(long id, long startMillis, String route, String protocol, String command,
            String targetHost, int targetPort, String resolved, String outcome, int replyCode, long bytesUp,
            long bytesDown, long durationMillis, String verdict, CallerTag caller, String failure) {
        this(id, startMillis, route, protocol, command, targetHost, targetPort, resolved, outcome, replyCode, bytesUp,
                bytesDown, durationMillis, verdict, caller, failure, null);
    }

    public static final String ALLOWED = "allowed";
    public static final String WOULD_DENY = "would-deny";
    public static final String DENIED = "denied";

    public boolean succeeded() {
        return "ok".equals(outcome);
    }

    /** {@code host:port}, with IPv6 literals in brackets. */
    public String target() {
        return hostPort(targetHost, targetPort);
    }

    static String hostPort(String host, int port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
