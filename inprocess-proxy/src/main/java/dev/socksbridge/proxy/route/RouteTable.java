package dev.socksbridge.proxy.route;

import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.Destination;
import java.util.ArrayList;
import java.util.List;

/**
 * Ordered routes, first match wins; a destination no route matches goes direct. Immutable and
 * thread-safe. A lookup walks the list in order (docs/benchmarks.md has its cost with 1,000 routes).
 */
public final class RouteTable implements Router {

    public static final RouteTable EMPTY = new RouteTable(List.of());

    private final Route[] routes;

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
        String host = destination.host();
        int port = destination.port();
        for (Route route : routes) {
            if (route.pattern().matches(host, port)) {
                return route;
            }
        }
        return null;
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
