package dev.socksbridge.proxy;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each session in one line and hands its events to the listeners, shielding sessions from them. */
final class EventSink {

    private final List<ConnectionListener> listeners;

    EventSink(List<ConnectionListener> listeners) {
        this.listeners = listeners;
    }

    /** Whether an open event has any reader; if not, the session does not build one. */
    boolean wantsOpenEvents() {
        return !listeners.isEmpty() || ConnectionLog.LOG.isDebugEnabled();
    }

    /**
     * Whether a close event has any reader: a listener, or the connections log at INFO (DEBUG for garbage,
     * which INFO off also rules out). The CLI at WARN builds no event per session.
     */
    boolean wantsCloseEvents() {
        return !listeners.isEmpty() || ConnectionLog.LOG.isInfoEnabled();
    }

    void opened(ConnectionEvent event) {
        if (ConnectionLog.LOG.isDebugEnabled()) {
            ConnectionLog.LOG.debug(EventFormat.line(event));
        }
        for (ConnectionListener listener : listeners) {
            try {
                listener.onOpen(event);
            } catch (RuntimeException e) {
                log().warn("conn#{}: listener {} failed in onOpen", event.id(), listener, e);
            }
        }
    }

    void closed(ConnectionEvent event) {
        // Garbage on the port (scanners, wrong protocol) is not worth an INFO line each.
        if (event.outcome() == Outcome.PROTOCOL_ERROR) {
            if (ConnectionLog.LOG.isDebugEnabled()) {
                ConnectionLog.LOG.debug(EventFormat.line(event));
            }
        } else if (ConnectionLog.LOG.isInfoEnabled()) {
            ConnectionLog.LOG.info(EventFormat.line(event));
        }
        for (ConnectionListener listener : listeners) {
            try {
                listener.onClose(event);
            } catch (RuntimeException e) {
                log().warn("conn#{}: listener {} failed in onClose", event.id(), listener, e);
            }
        }
    }

    /**
     * Looked up when first needed, not when the class loads: the proxy starts before the app's main
     * (as an agent) and usually never logs from here, so SLF4J is not set up at start-up for it.
     */
    private static Logger log() {
        return LoggerFactory.getLogger(EventSink.class);
    }

    /**
     * The per-connection log: one line per closed session at INFO (malformed input at DEBUG), one per
     * opened session at DEBUG. Set up with the first session, not with the proxy
     * (see {@link #log()}).
     */
    private static final class ConnectionLog {
        static final Logger LOG = LoggerFactory.getLogger("dev.socksbridge.proxy.connections");
    }
}
