package dev.socksbridge.agent.report;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * The agent's own SLF4J logger (relocated with SLF4J, so the app's logging is untouched): the
 * {@code socksbridge} logger writes connection lines at INFO; every other logger (the proxy's) writes
 * warnings and errors only, prefixed so the user knows where they came from.
 */
final class AgentLogger extends LegacyAbstractLogger {

    static final String CONNECTIONS = "socksbridge";

    private final boolean connections;

    AgentLogger(String name) {
        this.name = name;
        this.connections = CONNECTIONS.equals(name);
    }

    @Override
    public boolean isTraceEnabled() {
        return false;
    }

    @Override
    public boolean isDebugEnabled() {
        return false;
    }

    @Override
    public boolean isInfoEnabled() {
        return connections && !LogSink.connectionLinesOff();
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] arguments,
            Throwable throwable) {
        String text = MessageFormatter.basicArrayFormat(message, arguments);
        if (!connections || level != Level.INFO) {
            text = "socksbridge " + level + " " + name + ": " + text;
        }
        if (throwable != null) {
            StringWriter trace = new StringWriter();
            throwable.printStackTrace(new PrintWriter(trace));
            text = text + System.lineSeparator() + trace;
        }
        LogSink.println(text);
    }
}
