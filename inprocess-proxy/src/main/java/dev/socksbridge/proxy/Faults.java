package dev.socksbridge.proxy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The fault table a server consults for every connect and every chunk it relays: thread-safe and
 * changeable while connections run. A fault added applies to open connections from their next chunk on;
 * a fault removed stops applying to data not yet relayed (a delay already under way finishes).
 *
 * <p>Readers take one volatile snapshot per chunk, with no lock and no allocation; writers copy.
 */
public final class Faults {

    private static final Fault[] NONE = new Fault[0];

    private volatile Fault[] snapshot = NONE;
    private volatile Function<ConnectionRequest, String> otherName; // null: none (no lambda made at start-up)

    public Faults() {
    }

    public Faults(Collection<Fault> initial) {
        replaceAll(initial);
    }

    /**
     * A second name to match patterns against, besides the destination the client sent: an in-process agent
     * knows the host name the app asked for when the JDK sent the proxy only its address. {@code null}
     * from the function means none.
     */
    public void alsoMatch(Function<ConnectionRequest, String> name) {
        this.otherName = Objects.requireNonNull(name, "name");
    }

    String otherNameOf(ConnectionRequest request) {
        Function<ConnectionRequest, String> name = otherName;
        if (name == null) {
            return null;
        }
        try {
            return name.apply(request);
        } catch (RuntimeException e) {
            return null; // a failing lookup must not fail the connection; the destination still matches
        }
    }

    /** Parses {@code spec} (see {@link Fault}) and adds it; returns it, for {@link #remove}. */
    public Fault add(String spec) {
        Fault fault = Fault.parse(spec);
        add(fault);
        return fault;
    }

    public synchronized void add(Fault fault) {
        Objects.requireNonNull(fault, "fault");
        Fault[] next = Arrays.copyOf(snapshot, snapshot.length + 1);
        next[next.length - 1] = fault;
        snapshot = next;
    }

    /** Removes this fault (the same object); returns whether it was there. */
    public synchronized boolean remove(Fault fault) {
        List<Fault> next = new ArrayList<>(Arrays.asList(snapshot));
        boolean removed = next.removeIf(f -> f == fault);
        snapshot = next.toArray(NONE);
        return removed;
    }

    /** Replaces the whole set at once (an agent attached again with new {@code fault=} options). */
    public synchronized void replaceAll(Collection<Fault> faults) {
        for (Fault fault : faults) {
            Objects.requireNonNull(fault, "fault");
        }
        snapshot = faults.toArray(NONE);
    }

    public void clear() {
        replaceAll(List.of());
    }

    /** The faults now in force, in the order they were added. */
    public List<Fault> list() {
        return List.of(snapshot);
    }

    public boolean isEmpty() {
        return snapshot.length == 0;
    }

    /** Whether {@code fault} (the same object) is still in the table. */
    boolean contains(Fault fault) {
        for (Fault f : snapshot) {
            if (f == fault) {
                return true;
            }
        }
        return false;
    }

    Fault[] snapshot() {
        return snapshot;
    }

    @Override
    public String toString() {
        return Arrays.toString(snapshot);
    }
}
