package dev.socksbridge.agent.inventory;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** {@code socksbridge.DnsLookup}: A host name the app resolved (InetAddress.getByName/getAllByName). */
@Name("socksbridge.DnsLookup")
@Label("DNS Lookup")
@Description("A host name the app resolved (InetAddress.getByName/getAllByName)")
final class JfrDnsLookup extends JfrEgressEvent {
}
