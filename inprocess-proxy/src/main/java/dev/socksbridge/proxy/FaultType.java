package dev.socksbridge.proxy;

import java.util.List;
import java.util.Locale;

/**
 * What a {@link Fault} does, in Toxiproxy's vocabulary and units, plus the two faults only a proxy that
 * sees the connect can have ({@code connect_delay}, {@code refuse}). Each type lists the keys it takes
 * with their defaults; {@code toxicity} (every type) and {@code direction} (byte faults) are common keys.
 */
public enum FaultType {
    /** Each chunk is held {@code latency} ms, plus or minus up to {@code jitter} ms, before it is relayed. */
    LATENCY(false, "latency", 0, "jitter", 0),
    /** Relays at most {@code rate} KiB per second. */
    BANDWIDTH(false, "rate", 0),
    /** Waits {@code delay} ms before relaying an end of stream (the close). */
    SLOW_CLOSE(false, "delay", 0),
    /**
     * Stops every chunk; closes the connection {@code timeout} ms after the first one it stopped, or with
     * {@code timeout=0} holds it open, passing nothing, until the fault is removed.
     */
    TIMEOUT(false, "timeout", 0),
    /** Once {@code timeout} ms have passed, the next chunk resets the connection to the app (TCP RST). */
    RESET_PEER(false, "timeout", 0),
    /** Cuts chunks into slices of {@code average_size}±{@code size_variation} bytes, {@code delay} µs apart. */
    SLICER(false, "average_size", 0, "size_variation", 0, "delay", 0),
    /** Closes the connection once {@code bytes} bytes were relayed in the direction. */
    LIMIT_DATA(false, "bytes", 0),
    /** Waits {@code delay} ms before connecting to the target. */
    CONNECT_DELAY(true, "delay", 0),
    /** Answers the app's connect as a refused target would (SOCKS5 reply 0x05, HTTP 502). */
    REFUSE(true);

    private final boolean atConnect;
    private final List<String> keys;
    private final long[] defaults;

    FaultType(boolean atConnect, Object... keysAndDefaults) {
        this.atConnect = atConnect;
        String[] names = new String[keysAndDefaults.length / 2];
        this.defaults = new long[names.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = (String) keysAndDefaults[2 * i];
            defaults[i] = ((Number) keysAndDefaults[2 * i + 1]).longValue();
        }
        this.keys = List.of(names);
    }

    /** The name in the textual form: {@code latency}, {@code reset_peer}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for faults applied before the connect ({@code connect_delay}, {@code refuse}): no direction. */
    public boolean atConnect() {
        return atConnect;
    }

    /** The type's own keys, in order (not {@code direction} or {@code toxicity}). */
    public List<String> keys() {
        return keys;
    }

    long defaultOf(int keyIndex) {
        return defaults[keyIndex];
    }

    /** @throws IllegalArgumentException naming the label and every type */
    public static FaultType ofLabel(String label) {
        for (FaultType type : values()) {
            if (type.label().equals(label)) {
                return type;
            }
        }
        StringBuilder all = new StringBuilder();
        for (FaultType type : values()) {
            all.append(all.length() == 0 ? "" : ", ").append(type.label());
        }
        throw new IllegalArgumentException("unknown type '" + label + "' (expected one of: " + all + ")");
    }
}
