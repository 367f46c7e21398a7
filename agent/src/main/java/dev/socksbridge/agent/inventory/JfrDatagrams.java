package dev.socksbridge.agent.inventory;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** {@code socksbridge.Datagrams}: Datagrams the app sent to one destination from one call site (totals, committed at exit). */
@Name("socksbridge.Datagrams")
@Label("Datagrams")
@Description("Datagrams the app sent to one destination from one call site (totals, committed at exit)")
final class JfrDatagrams extends JfrEgressEvent {
}
