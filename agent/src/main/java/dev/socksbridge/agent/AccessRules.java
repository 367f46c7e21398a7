package dev.socksbridge.agent;

import dev.socksbridge.agent.rules.AccessRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code allow=} and {@code deny=} lists, the one rule engine for proxied and direct connections: a
 * connection is denied when a deny rule covers its caller and destination, or when an allow list is
 * given and no allow rule covers them; everything else is allowed. A rule without a caller covers every
 * caller (see {@link AccessRule}).
 */
final class AccessRules {

    /** The outcome and, when not permitted, why: the deny rule that matched or the allow rule that was missing. */
    record Decision(boolean permitted, String reason) {
        static final Decision PERMITTED = new Decision(true, null);
    }

    private final List<AccessRule> allow;
    private final List<AccessRule> deny;

    private AccessRules(List<AccessRule> allow, List<AccessRule> deny) {
        this.allow = allow;
        this.deny = deny;
    }

    static AccessRules of(List<String> allow, List<String> deny) {
        return new AccessRules(parse("allow", allow), parse("deny", deny));
    }

    private static List<AccessRule> parse(String key, List<String> texts) {
        List<AccessRule> rules = new ArrayList<>();
        for (String text : texts) {
            rules.add(rule(key, text));
        }
        return List.copyOf(rules);
    }

    /** @throws AgentOptionsException naming the option and the entry */
    static AccessRule rule(String key, String text) {
        try {
            return AccessRule.parse(text);
        } catch (IllegalArgumentException e) {
            throw new AgentOptionsException("socksbridge: option " + key + " entry " + e.getMessage());
        }
    }

    /**
     * @param callerClass the calling class; {@code null} when unknown or another process's client (then
     *                    only rules without a caller apply)
     * @param who         how the reason names the caller: the class, {@code unknown} or {@code external}
     * @param names       every name the destination is known by (the app's host name first, then the
     *                    address sent to the proxy); a rule matching any of them applies
     */
    Decision decide(String callerClass, String who, List<String> names, int port) {
        for (AccessRule rule : deny) {
            if (covers(rule, callerClass, names, port)) {
                return new Decision(false, "deny rule " + rule + " covers " + who + " -> " + destination(names, port));
            }
        }
        if (allow.isEmpty()) {
            return Decision.PERMITTED;
        }
        for (AccessRule rule : allow) {
            if (covers(rule, callerClass, names, port)) {
                return Decision.PERMITTED;
            }
        }
        return new Decision(false, "no allow rule for " + who + " -> " + destination(names, port));
    }

    /** For a client without a known caller: only the rules without a caller apply. */
    boolean permits(List<String> names, int port) {
        return decide(null, "unknown", names, port).permitted();
    }

    private static boolean covers(AccessRule rule, String callerClass, List<String> names, int port) {
        for (String name : names) {
            if (rule.matches(callerClass, name, port)) {
                return true;
            }
        }
        return false;
    }

    /** {@code host:port} as a rule would name it ({@code [v6]:port}). */
    private static String destination(List<String> names, int port) {
        String host = names.get(0);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    boolean isEmpty() {
        return allow.isEmpty() && deny.isEmpty();
    }
}
