package dev.socksbridge.agent;

import dev.socksbridge.agent.bootstrap.CallerTag;
import dev.socksbridge.proxy.ConnectionEvent.Verdict;
import dev.socksbridge.proxy.ConnectionPolicy;
import dev.socksbridge.proxy.ConnectionRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides each proxy request from its context alone: a client tagged with its caller (a socket of this
 * JVM, see {@link CallerRegistry#tag}) or, with {@code accept-external=true}, any other client (when
 * {@code user=} is set, only one that authenticated) may go on; then {@code allow=}/{@code deny=} apply
 * (in monitor mode a denial is only recorded as would-deny), to the caller's class and the destination;
 * a verdict other than "allowed" carries its reason, which the proxy puts on the session's event (the log
 * line and the event's failure show it).
 */
final class AgentPolicy implements ConnectionPolicy {

    private final AccessRules rules;
    private final AgentOptions options;

    AgentPolicy(AccessRules rules, AgentOptions options) {
        this.rules = rules;
        this.options = options;
    }

    /** {@link Verdict#ALLOWED}, {@code DENIED} or {@code WOULD_DENY} with its reason; a pure function of the request. */
    @Override
    public Decision decide(ConnectionRequest request) {
        CallerTag tag = request.tag() instanceof CallerTag caller ? caller : null;
        if (tag == null && !options.acceptExternal()) {
            return Decision.deny("client is no socket of this JVM (expected: accept-external=true)");
        }
        if (tag == null && options.user() != null && !request.authenticated()) {
            return Decision.deny("external client did not authenticate (user= is set)");
        }
        List<String> names = new ArrayList<>(2);
        if (tag != null && !tag.host().isEmpty()) {
            names.add(tag.host()); // the name the app gave first: the reason names the rule the app needs
        }
        if (!names.contains(request.destination().host())) {
            names.add(request.destination().host());
        }
        String who = tag == null ? "external" : tag.callerClass() == null ? "unknown" : tag.callerClass();
        AccessRules.Decision decision = rules.decide(tag == null ? null : tag.callerClass(), who, names,
                request.destination().port());
        if (decision.permitted()) {
            return Decision.ALLOW;
        }
        return options.mode() == AgentOptions.Mode.ENFORCE ? Decision.deny(decision.reason())
                : Decision.wouldDeny(decision.reason());
    }
}
