package dev.socksbridge.agent.bootstrap;

import java.net.ConnectException;
import java.net.InetSocketAddress;

/**
 * The bookkeeping a redirected connect needs whichever hook sent it to the proxy, the JDK's channels
 * ({@link ChannelHooks}) or Netty's native sockets ({@link NettyHooks}): its caller, the registration of
 * an unbound connection by the port its connect got, the unwinding of one that never reached the proxy,
 * the choice for one it cannot route (direct, or refused in {@code mode=enforce}: {@link ConnectRefusal}),
 * and the report of a connect that went direct. On the boot class path with the hooks that call it.
 */
final class Redirects {

    /** Longer than the proxy's own connect timeout (10 s): the proxy always answers first. */
    static final long ANSWER_TIMEOUT_MILLIS = 30_000;

    private Redirects() {
    }

    /**
     * A connect that goes direct (excluded destination, unresolved address, bound elsewhere): only
     * reported. {@code reason}: why, when the agent meant to redirect it (null: it was never meant to).
     */
    record DirectConnect(CallerTag tag, InetSocketAddress endpoint, String reason) {

        /** Reports it with how the connect ended; reporting never fails the app's connect. */
        void report(Throwable thrown) {
            ConnectObserver observer = Hooks.observer();
            if (observer == null) {
                return;
            }
            long end = System.nanoTime();
            Hooks.beginBypass();
            try {
                observer.direct(tag, endpoint, thrown, end, reason);
            } catch (Throwable e) {
                // the app's connect ends as it would have; only its record is lost
            } finally {
                Hooks.endBypass();
            }
        }
    }

    /** The caller of the connect, or of the connection's creation ({@code creator}) if the connect has no app frame. */
    static CallerTag callerOf(InetSocketAddress destination, CallerTag creator) {
        CallerTag tag = Hooks.tag(destination);
        return tag.callerClass() == null && creator != null ? tag.withCallerOf(creator) : tag;
    }

    /** Why a connect the agent meant to redirect went direct instead (shown as the event's reason). */
    static String notProxied(String why) {
        return "not proxied (socksbridge: " + why + ")";
    }

    /**
     * A connect the agent should redirect but cannot: it goes direct and is reported with the reason, or,
     * in {@code mode=enforce}, fails without being made ({@link ConnectRefusal}).
     */
    static Object notRouted(ConnectObserver observer, CallerTag tag, InetSocketAddress destination, String why) {
        return observer.failsUnroutable() ? new ConnectRefusal(tag, destination, why)
                : new DirectConnect(tag, destination, notProxied(why));
    }

    static String why(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /**
     * Registers a bound connection with the proxy; a failure part-way is unwound.
     *
     * @return what failed, or null when it is registered
     */
    static Throwable register(ConnectObserver observer, ChannelRoute route) {
        try {
            observer.routeChannel(route);
            return null;
        } catch (Throwable e) {
            unroute(observer, route);
            return e;
        }
    }

    /**
     * Registers an unbound redirected connection by the port its connect got ({@code port}, known once the
     * connect returned, also while it is pending; 0 or less: it could not be read) unless it already is
     * ({@link #registerPort}), then tells the proxy this connect is done. A connection that cannot be
     * registered is already on its way to a proxy that cannot relay it, so its connect fails (reported
     * here; the caller forgets the connection).
     *
     * @param what the connection's kind, for the failure's message ({@code channel}, {@code socket})
     * @return the connect's failure when the connection could not be registered, else null
     */
    static ConnectException registerAfterConnect(ChannelRoute route, int port, Throwable thrown, String what) {
        ConnectObserver observer = Hooks.observer();
        try {
            if (thrown != null || observer == null) {
                return null;
            }
            if (registerPort(observer, route, port)) {
                return null;
            }
        } catch (Throwable e) {
            // not registered: fails below
        } finally {
            if (observer != null) {
                observer.channelConnectDone();
            }
        }
        String why = "cannot tell the in-process proxy which connection is this " + what + "'s";
        ConnectException failure = new ConnectException("socksbridge: " + why);
        new DirectConnect(route.tag(), route.destination(), notProxied(why)).report(failure);
        return failure;
    }

    /**
     * Registers an unbound connection under the port its connect got ({@code port}; 0 or less: it could
     * not be read), once: an asynchronous channel's completion may register it before its connect call
     * returned. On the route's monitor, so a caller that finds it registered finds it routed as well.
     *
     * @return whether the route is registered (by this call or an earlier one)
     */
    static boolean registerPort(ConnectObserver observer, ChannelRoute route, int port) {
        synchronized (route) {
            if (route.localPort() > 0) {
                return true;
            }
            if (port <= 0) {
                return false;
            }
            route.registeredAs(port);
            observer.routeChannel(route);
            return true;
        }
    }

    /** The connection to the proxy itself failed: the proxy will never report it, so it is reported here. */
    static Throwable neverReachedProxy(ChannelRoute route, Throwable thrown) {
        unroute(Hooks.observer(), route);
        new DirectConnect(route.tag(), route.destination(), null).report(thrown);
        return thrown;
    }

    /** Forgets a registered route; never throws. */
    static void unroute(ConnectObserver observer, ChannelRoute route) {
        if (observer == null || route == null) {
            return;
        }
        try {
            observer.unrouteChannel(route);
        } catch (Throwable e) {
            // nothing more can be undone; the proxy drops an unknown client port's session at handshake
        }
    }
}
