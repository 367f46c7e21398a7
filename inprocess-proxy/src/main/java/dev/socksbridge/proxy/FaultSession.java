package dev.socksbridge.proxy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The faults of one connection: the hook the relay calls before its connect ({@link #beforeConnect}) and
 * the per-direction {@link ChunkShaper}s; remembers which fault types touched the connection for its event
 * ({@code faults=latency,reset_peer}). The table is read again at every step, so faults added or removed
 * while the connection runs take effect from its next chunk.
 */
public final class FaultSession {

    private final Faults table;
    private final String host;
    /** The name the app used when the client sent only an address ({@link Faults#alsoMatch}), or null. */
    private final String otherHost;
    private final int port;
    private final Socket client;
    /** This connection's dice roll: with each fault's id it decides toxicity, once per connection and fault. */
    private final long seed = ThreadLocalRandom.current().nextLong();
    private final AtomicInteger touched = new AtomicInteger();
    private volatile long relayStartNanos = System.nanoTime();

    private FaultSession(Faults table, ConnectionRequest request, Socket client) {
        Destination destination = request.destination();
        this.table = table;
        this.host = destination.host();
        String other = table.otherNameOf(request);
        this.otherHost = other == null || other.equalsIgnoreCase(host) ? null : other;
        this.port = destination.port();
        this.client = client;
    }

    /** @param client the app's side of the connection (a {@code reset_peer} resets it) */
    public static FaultSession open(Faults table, ConnectionRequest request, Socket client) {
        return new FaultSession(table, request, client);
    }

    /**
     * {@code connect_delay} waits on the calling (session) thread; {@code refuse} throws the
     * {@link ConnectException} a refused target gives, so the client gets the same reply as for one.
     */
    public void beforeConnect() throws IOException {
        Fault delay = first(FaultType.CONNECT_DELAY);
        if (delay != null) {
            touch(FaultType.CONNECT_DELAY);
            Pause.sleep(TimeUnit.MILLISECONDS.toNanos(delay.value(0)), client, client);
        }
        if (first(FaultType.REFUSE) != null) {
            touch(FaultType.REFUSE);
            throw new ConnectException("Connection refused (fault refuse)");
        }
        relayStartNanos = System.nanoTime();
    }

    /** The hook for one relay direction; {@code up} is app to target. */
    public ChunkShaper shaper(boolean up, Socket from, Socket to) {
        return new ChunkShaper(this, up, from, to);
    }

    /** The labels of the fault types that acted on this connection, in {@link FaultType} order; empty if none. */
    public List<String> touched() {
        int bits = touched.get();
        if (bits == 0) {
            return List.of();
        }
        List<String> labels = new ArrayList<>(2);
        for (FaultType type : FaultType.values()) {
            if ((bits & (1 << type.ordinal())) != 0) {
                labels.add(type.label());
            }
        }
        return List.copyOf(labels);
    }

    void touch(FaultType type) {
        int bit = 1 << type.ordinal();
        if ((touched.get() & bit) == 0) {
            touched.getAndUpdate(bits -> bits | bit);
        }
    }

    private Fault first(FaultType type) {
        for (Fault fault : table.snapshot()) {
            if (fault.type() == type && matches(fault)) {
                return fault;
            }
        }
        return null;
    }

    Faults table() {
        return table;
    }

    /** Whether {@code fault} applies to this connection's relay direction {@code up}. */
    boolean applies(Fault fault, boolean up) {
        return !fault.type().atConnect() && fault.direction().covers(up) && matches(fault);
    }

    private boolean matches(Fault fault) {
        return fault.appliesTo(host, port, seed) || otherHost != null && fault.appliesTo(otherHost, port, seed);
    }

    /** Whether {@code fault} is still in the table and applies here (a held chunk waits on this). */
    boolean stillApplies(Fault fault) {
        return table.contains(fault);
    }

    /** When a timed fault starts counting: the relay's start, or later if the fault was added later. */
    long since(Fault fault) {
        return Math.max(relayStartNanos, fault.createdNanos());
    }

    /** A TCP reset to the app: SO_LINGER 0, then close. */
    void resetClient() throws IOException {
        touch(FaultType.RESET_PEER);
        try {
            client.setSoLinger(true, 0);
        } finally {
            client.close();
        }
        throw new FaultCutoff("reset_peer: connection reset to the app");
    }
}
