package dev.socksbridge.junit;

import dev.socksbridge.proxy.HostPattern;
import java.util.List;

/** The failure message for a test that connected where it did not declare. */
final class UnexpectedConnections {

    private UnexpectedConnections() {
    }

    static String message(RecordedConnections test, List<RecordedConnection> unexpected,
                          List<HostPattern> allowed) {
        String nl = System.lineSeparator();
        StringBuilder text = new StringBuilder()
                .append(test.testName()).append(" made ").append(unexpected.size())
                .append(unexpected.size() == 1 ? " unexpected outbound connection:"
                        : " unexpected outbound connections:");
        for (RecordedConnection connection : unexpected) {
            text.append(nl).append("  ").append(connection);
        }
        text.append(nl).append("Allowed: ").append(allowed.isEmpty() ? "nothing" : allowed.toString())
                .append(". Declare a destination with @AllowOutbound(\"host:port\") on the test method or class")
                .append(", or set @Socksbridge(failOnUnexpected = false) to record only.");
        return text.toString();
    }
}
