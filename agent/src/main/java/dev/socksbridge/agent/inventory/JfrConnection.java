package dev.socksbridge.agent.inventory;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** {@code socksbridge.Connection}: A TCP connection the app made, through the agent's proxy or direct. */
@Name("socksbridge.Connection")
@Label("Connection")
@Description("A TCP connection the app made, through the agent's proxy or direct")
final class JfrConnection extends JfrEgressEvent {
}
