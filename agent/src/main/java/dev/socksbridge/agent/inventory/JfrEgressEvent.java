package dev.socksbridge.agent.inventory;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import jdk.jfr.Timestamp;

/**
 * The fields the three socksbridge JFR events share. They are committed when the agent reports the
 * connection (at its end), so the event's own start time and duration are the report's; the connection's
 * are {@link #connectStart} and {@link #connectDuration}. The JFR stack trace would be the proxy's thread,
 * not the app's, so it is off and the caller is in fields.
 */
@Category({"socksbridge"})
@StackTrace(false)
abstract class JfrEgressEvent extends Event {

    @Label("Connection Id")
    @Description("The number in the agent's log line (conn#N, dns#N) and events file")
    long connectionId;

    @Label("Destination")
    @Description("host:port as the app named it; for a lookup, the name looked up")
    String destination;

    @Label("Reached")
    @Description("The address reached (ip:port); for a lookup the addresses found, |-separated")
    String reached;

    @Label("Outcome")
    String outcome;

    @Label("Policy")
    @Description("allowed, would-deny or denied")
    String policy;

    @Label("Route")
    @Description("proxy or direct")
    String route;

    @Label("Protocol")
    String protocol;

    @Label("Bytes Up")
    @Description("Bytes app to target (-1: not counted, route=direct)")
    long bytesUp;

    @Label("Bytes Down")
    @Description("Bytes target to app (-1: not counted)")
    long bytesDown;

    @Label("Connect Start")
    @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
    long connectStart;

    @Label("Connect Duration")
    @Timespan(Timespan.MILLISECONDS)
    long connectDuration;

    @Label("Caller Class")
    String callerClass;

    @Label("Caller Method")
    String callerMethod;

    @Label("Caller Line")
    int callerLine;

    @Label("Caller Thread")
    String callerThread;

    @Label("Failure")
    String failure;

    void fill(EgressEvent e) {
        connectionId = e.id();
        destination = e.destination();
        reached = e.resolved();
        outcome = e.outcome();
        policy = e.policy();
        route = e.route();
        protocol = e.protocol();
        bytesUp = e.bytesUp();
        bytesDown = e.bytesDown();
        connectStart = e.startMillis();
        connectDuration = e.durationMillis();
        callerClass = e.callerClass();
        callerMethod = e.callerMethod();
        callerLine = e.callerLine();
        callerThread = e.thread();
        failure = e.failure();
    }
}
