package dev.socksbridge.agent.inventory;

/**
 * Commits the socksbridge JFR events. Only {@link InventoryHook} calls it, and only once JFR is running,
 * so a JVM that never records does not load this class or the event classes (the check is in the hook:
 * linking this class may load the event classes).
 */
final class JfrEvents {

    private JfrEvents() {
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
