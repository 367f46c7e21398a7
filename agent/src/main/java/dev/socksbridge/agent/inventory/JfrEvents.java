package dev.socksbridge.agent.inventory;

import jdk.jfr.FlightRecorder;

/**
 * Commits the socksbridge JFR events. Only {@link InventoryHook} calls it, and only once JFR is running
 * (see {@link #running()}), so a JVM that never records pays one check per connection and does not load
 * the event classes.
 */
final class JfrEvents {

    private JfrEvents() {
    }

    /** Whether a recording was ever started in this JVM (JFR initialised); cheap once the class is loaded. */
    static boolean running() {
        return FlightRecorder.isInitialized();
    }

    static void commit(EgressEvent e) {
        JfrEgressEvent event = switch (e.kind()) {
            case CONNECTION -> new JfrConnection();
            case LOOKUP -> new JfrDnsLookup();
            case DATAGRAMS -> new JfrDatagrams();
        };
        if (event.shouldCommit()) {
            event.fill(e);
            event.commit();
        }
    }
}
