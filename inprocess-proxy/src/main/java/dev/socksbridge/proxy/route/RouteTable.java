package dev.socksbridge.proxy.route;

import dev.socksbridge.proxy.Router;
import dev.socksbridge.proxy.RouteAction;
import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.Destination;
import java.util.ArrayList;
import dev.socksbridge.proxy.HostPattern;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ordered routes, first match wins; a destination no route matches goes direct. Immutable and
 * thread-safe. A lookup walks the list in order once per destination and remembers the answer
 * (docs/benchmarks.md has both costs with 1,000 routes).
 */
public final class RouteTable implements Router {

    public static final RouteTable EMPTY = new RouteTable(List.of());

    /** Destinations remembered per table; past this the memo starts over (a crawler must not grow it forever). */
    private static final int MEMO_LIMIT = 10_000;
    private static final Integer NO_MATCH = -1;

    private final Route[] routes;
    /**
     * Destination to the index of its first matching route. A walk costs about a microsecond per CIDR or IP
     * pattern ({@link HostPattern#matches} parses the destination again for each), so with hundreds of routes
     * the first connection to a destination pays a fraction of a millisecond and later ones a map lookup.
     */
    private final Map<Destination, Integer> memo = new ConcurrentHashMap<>();

    private RouteTable(List<Route> routes) {
        this.routes = routes.toArray(new Route[0]);
    }

    public static RouteTable of(List<Route> routes) {
        return routes.isEmpty() ? EMPTY : new RouteTable(routes);
    }

    /**
     * Parses each {@code PATTERN->ACTION} in order.
     *
     * @param option what the texts came from, to name it in errors ({@code --route}, {@code route=})
     * @throws IllegalArgumentException {@code option: 'text' problem (expected: ...)}, the password masked
     */
    public static RouteTable parse(String option, List<String> texts) {
        List<Route> parsed = new ArrayList<>(texts.size());
        for (String text : texts) {
            try {
                parsed.add(RouteParser.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
            }
        }
        return of(parsed);
    }

    /** The first matching route's action, or {@link RouteAction#direct()}. */
    public RouteAction actionFor(Destination destination) {
        Route route = match(destination);
        return route == null ? RouteAction.direct() : route.action();
    }

    /** The first route matching {@code destination}, or {@code null} (for tables layered on each other). */
    public Route match(Destination destination) {
        if (routes.length == 0) {
            return null;
        }
        Integer index = memo.get(destination);
        if (index == null) {
            index = walk(destination);
            if (memo.size() >= MEMO_LIMIT) {
                memo.clear();
            }
            memo.put(destination, index);
        }
        return index == NO_MATCH ? null : routes[index];
    }

    private Integer walk(Destination destination) {
        String host = destination.host();
        int port = destination.port();
        for (int i = 0; i < routes.length; i++) {
            if (routes[i].pattern().matches(host, port)) {
                return i;
            }
        }
        return NO_MATCH;
    }

    @Override
    public RouteAction route(ConnectionRequest request) {
        return actionFor(request.destination());
    }

    public List<Route> routes() {
        return List.of(routes);
    }

    public boolean isEmpty() {
        return routes.length == 0;
    }

    @Override
    public String toString() {
        return List.of(routes).toString();
    }
}
