package dev.socksbridge.proxy;

/**
 * Decides where a CONNECT goes (asked once per request, after the policy allowed it): direct, through
 * upstream hops, to a stand-in, or nowhere. the route package's {@code RouteTable} is the usual one; BIND and UDP ASSOCIATE
 * are never routed (always direct).
 */
@FunctionalInterface
public interface Router {

    /** Never null. */
    RouteAction route(ConnectionRequest request);

    /** Everything direct (the default). */
    static Router direct() {
        return request -> RouteAction.direct();
    }
}
