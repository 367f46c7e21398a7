package dev.socksbridge.agent;

import dev.socksbridge.agent.bootstrap.CallerTag;
import dev.socksbridge.agent.report.Reporter;
import dev.socksbridge.proxy.ConnectionEvent.Verdict;
import dev.socksbridge.proxy.ConnectionPolicy;
import dev.socksbridge.proxy.ConnectionRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides each proxy request from its context alone: a client tagged with its caller (a socket of this
 * JVM, see {@link CallerRegistry#tag}) or, with {@code accept-external=true}, any other client (when
 * {@code user=} is set, only one that authenticated) may go on; then {@code allow=}/{@code deny=} apply
 * (in monitor mode a denial is only recorded as would-deny).
 */
final class AgentPolicy {

    private final AccessRules rules;
    private final AgentOptions options;

    AgentPolicy(AccessRules rules, AgentOptions options) {
        this.rules = rules;
        this.options = options;
    }

    /** The verdict for {@code request}: {@link Verdict#ALLOWED}, {@code DENIED} or {@code WOULD_DENY}. */
    Verdict verdict(ConnectionRequest request) {
        CallerTag tag = request.tag() instanceof CallerTag caller ? caller : null;
        if (tag == null && (!options.acceptExternal() || (options.user() != null && !request.authenticated()))) {
            return Verdict.DENIED;
        }
        List<String> names = new ArrayList<>(2);
        names.add(request.destination().host());
        if (tag != null && !tag.host().equals(request.destination().host())) {
            names.add(tag.host());
        }
        if (rules.permits(names, request.destination().port())) {
            return Verdict.ALLOWED;
        }
        return options.mode() == AgentOptions.Mode.ENFORCE ? Verdict.DENIED : Verdict.WOULD_DENY;
    }

    /**
     * The policy the proxy runs: the verdict, kept for the session's report when it is not "allowed"
     * (the report has no other way to learn a would-deny); only a denial refuses.
     */
    ConnectionPolicy reportingTo(Reporter reporter) {
        return request -> {
            Verdict verdict = verdict(request);
            if (verdict != Verdict.ALLOWED) {
                reporter.verdict(request.id(), verdict);
            }
            return verdict != Verdict.DENIED;
        };
    }
}
