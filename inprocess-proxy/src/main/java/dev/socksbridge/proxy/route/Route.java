package dev.socksbridge.proxy.route;

import dev.socksbridge.proxy.RouteAction;
import dev.socksbridge.proxy.HostPattern;
import java.util.Objects;

/**
 * One {@code PATTERN -> ACTION} entry of a {@link RouteTable}. {@link #toString()} never shows a password.
 */
public record Route(HostPattern pattern, RouteAction action) {

    public Route {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(action, "action");
    }

    /** Parses {@code PATTERN->ACTION}; see {@link RouteParser}. */
    public static Route parse(String text) {
        return RouteParser.parse(text);
    }

    @Override
    public String toString() {
        return pattern + " -> " + action.via();
    }
}
