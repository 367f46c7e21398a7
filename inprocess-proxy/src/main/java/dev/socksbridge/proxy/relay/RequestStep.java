package dev.socksbridge.proxy.relay;

import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.protocol.ReplyCode;
import java.io.IOException;

/**
 * Everything after the handshake, usable without one (a transparent route): reports the open, applies
 * the policy and hands the request to its command ({@link ConnectCommand}, {@link BindCommand},
 * {@link UdpAssociation}), which answers the client.
 */
final class RequestStep {

    private RequestStep() {
    }

    /**
     * Returns the half for the session thread to run (for CONNECT the client-to-target pump, whose first
     * bytes are {@code firstBuffer[offset..end)}, what the client sent early), or null when the session
     * ended (the client was answered with the failure).
     */
    static Direction serve(Session session, Negotiated negotiated, byte[] firstBuffer, int offset, int end)
            throws IOException {
        ConnectionRequest request = session.record().negotiated(negotiated);
        EventSink events = session.engine().events();
        if (events.wantsOpenEvents()) {
            events.opened(session.record().openEvent());
        }
        Replier replier = negotiated.replier();
        if (request.command() == Command.UDP_ASSOCIATE) { // the policy is asked per datagram, for its destination
            return UdpAssociation.start(session, replier, firstBuffer);
        }
        if (!permits(session, request)) {
            session.refuse(replier, ReplyCode.NOT_ALLOWED, "denied by policy");
            return null;
        }
        if (request.command() == Command.BIND) {
            return new BindCommand(session, replier).start(firstBuffer, offset, end);
        }
        return ConnectCommand.start(session, replier, request, firstBuffer, offset, end);
    }

    /** The policy's verdict; a policy that throws denies (and is logged), it never ends the session. */
    static boolean permits(Session session, ConnectionRequest request) {
        try {
            return session.settings().policy().permits(request);
        } catch (RuntimeException e) {
            Session.LOG.warn("conn#{}: policy failed, denying {}", session.record().id(),
                    session.record().destination(), e);
            return false;
        }
    }
}
