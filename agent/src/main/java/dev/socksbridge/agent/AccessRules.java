package dev.socksbridge.agent;

import dev.socksbridge.proxy.HostPattern;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code allow=} and {@code deny=} lists: a destination is denied when a deny pattern matches it,
 * or when an allow list is given and none of its patterns matches; everything else is allowed.
 */
final class AccessRules {

    private final List<HostPattern> allow;
    private final List<HostPattern> deny;

    private AccessRules(List<HostPattern> allow, List<HostPattern> deny) {
        this.allow = allow;
        this.deny = deny;
    }

    static AccessRules of(List<String> allow, List<String> deny) {
        return new AccessRules(parse("allow", allow), parse("deny", deny));
    }

    private static List<HostPattern> parse(String key, List<String> texts) {
        List<HostPattern> patterns = new ArrayList<>();
        for (String text : texts) {
            patterns.add(pattern(key, text));
        }
        return List.copyOf(patterns);
    }

    /** @throws AgentOptionsException naming the option and the entry */
    static HostPattern pattern(String key, String text) {
        try {
            return HostPattern.parse(text);
        } catch (IllegalArgumentException e) {
            throw new AgentOptionsException("socksbridge: option " + key + " entry " + e.getMessage());
        }
    }

    /**
     * @param names every name the destination is known by (the app's host name, the address sent to the
     *              proxy); a rule matching any of them applies
     */
    boolean permits(List<String> names, int port) {
        for (String name : names) {
            for (HostPattern pattern : deny) {
                if (pattern.matches(name, port)) {
                    return false;
                }
            }
        }
        if (allow.isEmpty()) {
            return true;
        }
        for (String name : names) {
            for (HostPattern pattern : allow) {
                if (pattern.matches(name, port)) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean isEmpty() {
        return allow.isEmpty() && deny.isEmpty();
    }
}
