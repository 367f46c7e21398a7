package dev.socksbridge.proxy;

/**
 * Receives one event when a session's request is known ({@link #onOpen}) and one when it ends
 * ({@link #onClose}), on the session's own thread. A listener must not block; an exception it throws
 * is logged and swallowed so one listener can never break a session or another listener.
 */
public interface ConnectionListener {

    default void onOpen(ConnectionEvent event) {
    }

    default void onClose(ConnectionEvent event) {
    }
}
