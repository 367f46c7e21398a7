package dev.socksbridge.proxy;

import dev.socksbridge.proxy.Socks5Server.Settings;
import dev.socksbridge.proxy.protocol.ReplyCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;

/**
 * CONNECT (and HTTP CONNECT, and a transparent route): dials the target through the configured
 * {@link Dialer}, answers the client with the outbound socket's local address (or with the reply
 * code the dial failure's type calls for), then starts the two-way relay.
 */
final class ConnectCommand {

    private ConnectCommand() {
    }

    /** Relays the client-to-target pump (whose first bytes are what the client sent early), or refuses. */
    static CommandResult start(Session session, Replier replier, HandshakeInput in) throws IOException {
        ConnectionRequest request = session.request();
        Settings settings = session.settings();
        long dialStart = System.nanoTime();
        Socket outbound;
        FaultSession faults = FaultSession.open(settings.faults(), request, session.client());
        session.record().faults(faults);
        RouteAction route = null;
        try {
            faults.beforeConnect(); // connect_delay, refuse: answered like the dial failing
            route = settings.router().route(request); // direct, upstream hops, a stand-in or block
            session.record().via(route.via());
            outbound = route.dial(request, connectTimeoutMillis(session), settings.dialer());
        } catch (IOException e) {
            session.tellTagger(asDirect(route, e));
            ReplyCode code = ReplyCodes.forDialFailure(e);
            return new CommandResult.Refuse(code, Session.reason(e), e instanceof UpstreamAuthenticationException
                    ? Outcome.AUTH_FAILED : ReplyCodes.outcomeOf(code)); // an upstream hop refused our credentials
        } catch (RuntimeException e) {
            Session.LOG.warn("conn#{}: dialer failed for {}", request.id(), request.destination(), e);
            return new CommandResult.Refuse(ReplyCode.GENERAL_FAILURE, Session.reason(e));
        }
        session.attachTarget(outbound, Duration.ofNanos(System.nanoTime() - dialStart));
        InetSocketAddress bound = (InetSocketAddress) outbound.getLocalSocketAddress();
        if (bound == null) { // closed under us by close()
            throw new SocketException("outbound socket closed before the reply");
        }
        replier.succeeded(bound);
        session.succeeded(replier);
        return session.startRelay(outbound, in);
    }

    /**
     * What a direct connect would have thrown: the dial's own exception when this server dialed the
     * destination itself; after a fault, a hop, a stand-in or a block (whose messages name the hop or the
     * fault, for the logs), the JDK's exception for the reply code, as a direct connect failing that way.
     */
    private static IOException asDirect(RouteAction route, IOException failure) {
        return route == RouteAction.direct() ? failure : ReplyCodes.exceptionFor(ReplyCodes.forDialFailure(failure));
    }

    /** The server's connect timeout, or the one the tagger gives this session (an agent: the app's own). */
    private static int connectTimeoutMillis(Session session) {
        int serverMillis = (int) session.settings().connectTimeout().toMillis();
        Object tag = session.request().tag();
        if (tag == null) {
            return serverMillis;
        }
        try {
            int millis = session.settings().extensions().tagger().connectTimeoutMillis(tag, serverMillis);
            return millis >= 0 ? millis : serverMillis;
        } catch (RuntimeException e) {
            Session.LOG.warn("conn#{}: session tagger failed to give a connect timeout", session.request().id(), e);
            return serverMillis;
        }
    }
}
