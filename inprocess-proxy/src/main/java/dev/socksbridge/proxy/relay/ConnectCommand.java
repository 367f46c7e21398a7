package dev.socksbridge.proxy.relay;

import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.Socks5Server.Settings;
import dev.socksbridge.proxy.fault.FaultSession;
import dev.socksbridge.proxy.protocol.ReplyCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;

/**
 * CONNECT (and HTTP CONNECT, and a transparent route): dials the target through the configured
 * {@link dev.socksbridge.proxy.Dialer}, answers the client with the outbound socket's local address (or
 * with the reply code the dial failure's type calls for), then starts the two-way relay.
 */
final class ConnectCommand {

    private ConnectCommand() {
    }

    /** Returns the client-to-target pump for the session thread, or null after answering a failure. */
    static Direction start(Session session, Replier replier, ConnectionRequest request, byte[] firstBuffer,
            int offset, int end) throws IOException {
        Socket outbound = dial(session, replier, request);
        if (outbound == null) {
            return null;
        }
        InetSocketAddress bound = (InetSocketAddress) outbound.getLocalSocketAddress();
        if (bound == null) { // closed under us by close()
            throw new SocketException("outbound socket closed before the reply");
        }
        replier.succeeded(bound);
        session.succeeded(replier);
        return session.startRelay(outbound, firstBuffer, offset, end);
    }

    /** Returns the connected outbound socket, or null after answering the client with the failure. */
    private static Socket dial(Session session, Replier replier, ConnectionRequest request) throws IOException {
        Settings settings = session.settings();
        long dialStart = System.nanoTime();
        Socket outbound;
        FaultSession faults = FaultSession.open(settings.faults(), request, session.client());
        session.record().faults(faults);
        try {
            faults.beforeConnect(); // connect_delay, refuse: answered like the dial failing
            outbound = settings.dialer().dial(request, (int) settings.connectTimeout().toMillis());
        } catch (IOException e) {
            session.refuse(replier, ReplyCodes.forDialFailure(e), Session.reason(e));
            return null;
        } catch (RuntimeException e) {
            Session.LOG.warn("conn#{}: dialer failed for {}", request.id(), request.destination(), e);
            session.refuse(replier, ReplyCode.GENERAL_FAILURE, Session.reason(e));
            return null;
        }
        session.attachTarget(outbound, Duration.ofNanos(System.nanoTime() - dialStart));
        return outbound;
    }
}
