package dev.socksbridge.junit;

import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Outcome;
import java.net.InetSocketAddress;
import java.time.Instant;

/** Builds recorded connections for the pure-logic tests. */
final class Connections {

    private Connections() {
    }

    static RecordedConnection to(String namedHost, String requestedHost, String reachedIp, int port) {
        InetSocketAddress reached = reachedIp == null ? null : new InetSocketAddress(IpLiterals.parse(reachedIp), port);
        return new RecordedConnection(1, "proxy", new Destination(namedHost, port), new Destination(requestedHost, port),
                reached, Outcome.OK, 0, 10, 20, Instant.now(), null,
                new CallSite("com.acme.Billing", "charge", "Billing.java", 88), "main", false, null);
    }

    static RecordedConnection to(String host, int port) {
        return to(host, host, null, port);
    }
}
