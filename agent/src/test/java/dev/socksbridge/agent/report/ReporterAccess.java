package dev.socksbridge.agent.report;

import dev.socksbridge.agent.bootstrap.CallerTag;
import dev.socksbridge.proxy.ConnectionEvent;

/** Lets tests of other agent packages build a record tagged the way the Reporter tags it. */
public final class ReporterAccess {

    private ReporterAccess() {
    }

    public static ConnectionEvent.Builder tagged(ConnectionEvent.Builder builder, CallerTag tag) {
        return Reporter.tagged(builder, tag);
    }
}
