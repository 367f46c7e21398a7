package dev.socksbridge.proxy.fault;

import java.io.IOException;

/** Thrown by the relay's fault hook to end a session as a fault says ({@code limit_data}, {@code timeout}, {@code reset_peer}). */
public final class FaultCutoff extends IOException {

    private static final long serialVersionUID = 1L;

    FaultCutoff(String message) {
        super(message);
    }
}
