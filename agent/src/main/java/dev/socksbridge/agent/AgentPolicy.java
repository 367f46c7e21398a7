package dev.socksbridge.agent;

import dev.socksbridge.agent.bootstrap.CallerTag;
import dev.socksbridge.agent.report.Reporter;
import dev.socksbridge.proxy.ConnectionEvent.Verdict;
import dev.socksbridge.proxy.ConnectionPolicy;
import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.Credentials;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides each proxy request: joins it to its caller tag (by client port), keeps out clients that are
 * not sockets of this JVM unless {@code accept-external=true}, and applies {@code allow=}/{@code deny=}
 * (in monitor mode a denial is only recorded as would-deny).
 */
final class AgentPolicy implements ConnectionPolicy {

    /** Set by {@link #credentials} on the session thread when an external client gave the configured password. */
    private static final ThreadLocal<Boolean> EXTERNAL_AUTHENTICATED = new ThreadLocal<>();

    private final CallerRegistry registry;
    private final Reporter reporter;
    private final AccessRules rules;
    private final AgentOptions options;

    AgentPolicy(CallerRegistry registry, Reporter reporter, AccessRules rules, AgentOptions options) {
        this.registry = registry;
        this.reporter = reporter;
        this.rules = rules;
        this.options = options;
    }

    @Override
    public boolean permits(ConnectionRequest request) {
        boolean authenticated = Boolean.TRUE.equals(EXTERNAL_AUTHENTICATED.get());
        EXTERNAL_AUTHENTICATED.remove();
        CallerTag tag = registry.take(request.client());
        if (tag != null) {
            reporter.tagSession(request.id(), tag);
        } else if (!options.acceptExternal() || (options.user() != null && !authenticated)) {
            reporter.verdict(request.id(), Verdict.DENIED);
            return false;
        }
        List<String> names = new ArrayList<>(2);
        names.add(request.destination().host());
        if (tag != null && !tag.host().equals(request.destination().host())) {
            names.add(tag.host());
        }
        if (rules.permits(names, request.destination().port())) {
            return true;
        }
        boolean enforce = options.mode() == AgentOptions.Mode.ENFORCE;
        reporter.verdict(request.id(), enforce ? Verdict.DENIED : Verdict.WOULD_DENY);
        return !enforce;
    }

    /**
     * RFC 1929 check when {@code user=}/{@code password=} are set. The JVM's own sockets cannot know the
     * password (the JDK sends {@code user.name} and an empty password when no Authenticator answers), so
     * they pass here and are then admitted by {@link #permits} only if their client port was registered.
     */
    static Credentials credentials(String user, String password) {
        Credentials configured = Credentials.of(user, password);
        return (name, pass) -> {
            if (configured.verify(name, pass)) {
                EXTERNAL_AUTHENTICATED.set(Boolean.TRUE);
                return true;
            }
            EXTERNAL_AUTHENTICATED.remove();
            return pass.length == 0;
        };
    }
}
