package dev.socksbridge.junit;

import java.util.ArrayList;
import java.util.List;

/**
 * Adds and removes faults while a {@link Socksbridge} test runs, so a test can break a dependency in the
 * middle of a flow and heal it. Inject it into a {@code @Test}, {@code @BeforeEach} or {@code @AfterEach}
 * method. Every fault still in force when the test ends is removed then. A fault added applies to
 * connections already open from their next chunk on; one removed stops applying to data not yet relayed.
 *
 * <pre>{@code
 * InjectedFault outage = faults.add("127.0.0.1:5432->timeout timeout=0");
 * ...                      // the database now answers nothing
 * outage.remove();         // and is back
 * }</pre>
 */
public final class FaultInjection {

    private final Capture.Source source;
    private final List<InjectedFault> added = new ArrayList<>();

    FaultInjection(Capture.Source source) {
        this.source = source;
    }

    /**
     * Puts a fault in force, e.g. {@code "*.example.com:443->latency latency=200 direction=down"}.
     *
     * @throws IllegalArgumentException for a malformed spec, naming it and what was expected
     */
    public synchronized InjectedFault add(String spec) {
        InjectedFault fault = new InjectedFault(spec, source.addFault(spec), this);
        added.add(fault);
        return fault;
    }

    /** Removes every fault this test added (its {@link Fault} annotations' included). */
    public synchronized void clear() {
        for (InjectedFault fault : List.copyOf(added)) {
            fault.remove();
        }
    }

    /** The faults in force for this test, in the order they were added. */
    public synchronized List<InjectedFault> active() {
        return List.copyOf(added);
    }

    synchronized void removed(InjectedFault fault) {
        added.remove(fault);
        source.removeFault(fault.token());
    }

    /** One fault put in force by {@link #add}. */
    public static final class InjectedFault {
        private final String spec;
        private final Object token;
        private final FaultInjection owner;
        private boolean removed;

        private InjectedFault(String spec, Object token, FaultInjection owner) {
            this.spec = spec;
            this.token = token;
            this.owner = owner;
        }

        /** Stops the fault; calling it again does nothing. */
        public void remove() {
            synchronized (owner) {
                if (!removed) {
                    removed = true;
                    owner.removed(this);
                }
            }
        }

        Object token() {
            return token;
        }

        @Override
        public String toString() {
            return spec;
        }
    }
}
