package dev.socksbridge.proxy;

import java.util.Locale;

/** Which bytes a fault applies to: {@code up} = app to target, {@code down} = target to app, or both. */
public enum FaultDirection {
    UP, DOWN, BOTH;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a fault in this direction applies to the relay direction {@code up} (true) or down. */
    public boolean covers(boolean up) {
        return this == BOTH || (this == UP) == up;
    }

    static FaultDirection ofLabel(String label) {
        for (FaultDirection direction : values()) {
            if (direction.label().equals(label)) {
                return direction;
            }
        }
        throw new IllegalArgumentException("direction=" + label + " (expected: up, down or both)");
    }
}
