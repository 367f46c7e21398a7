package dev.socksbridge.proxy;

import java.io.IOException;

/** Thrown by the relay's fault hook to end a session as a fault says ({@code limit_data}, {@code timeout}, {@code reset_peer}). */
public final class FaultCutoff extends IOException {

    private static final long serialVersionUID = 1L;

    private final int relayed;

    FaultCutoff(String message) {
        this(message, 0);
    }

    FaultCutoff(String message, int relayed) {
        super(message);
        this.relayed = relayed;
    }

    /** Bytes of the chunk written before the cut. */
    public int relayed() {
        return relayed;
    }
}
