package dev.socksbridge.proxy.relay;

import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Socks5Server.Settings;
import dev.socksbridge.proxy.TransparentRoutes;
import dev.socksbridge.proxy.protocol.ProtocolException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A session's first step, on its own thread: tells the protocol by the client's first byte (or takes a
 * pre-registered transparent route instead), negotiates, and hands the request to {@link RequestStep}.
 * Whatever the handshake or the request throws ends here, as the session's outcome and reason.
 */
final class HandshakeStep {

    private HandshakeStep() {
    }

    /**
     * Returns the half for the session thread to run, or null when the session ended (its outcome and
     * reason recorded, the client answered where its protocol has an answer).
     */
    static Direction open(Session session) {
        SessionRecord record = session.record();
        try {
            return handshake(session);
        } catch (AuthenticationFailedException e) {
            answer(session.client(), e);
            record.refused(e.replyCode(), Outcome.AUTH_FAILED, e.getMessage());
        } catch (ProtocolException e) {
            answer(session.client(), e);
            record.refused(e.replyCode(), Outcome.PROTOCOL_ERROR, e.getMessage());
        } catch (SocketTimeoutException e) {
            long limit = session.settings().handshakeTimeout().toMillis();
            record.end(Outcome.TIMEOUT, "handshake timeout (" + limit + "ms)");
        } catch (IOException e) {
            record.end(Outcome.FAILED, Session.reason(e));
        } catch (RuntimeException e) {
            Session.LOG.warn("conn#{}: unexpected failure", record.id(), e);
            record.end(Outcome.FAILED, Session.reason(e));
        }
        return null;
    }

    private static Direction handshake(Session session) throws IOException {
        Socket client = session.client();
        Settings settings = session.settings();
        client.setTcpNoDelay(true);
        TransparentRoutes.Route route = settings.transparentRoutes().route(session.record().clientAddress());
        if (route != null) {
            return RequestStep.serve(session, TransparentSession.negotiated(route), new byte[session.initialBuffer()],
                    0, 0);
        }
        long deadline = session.record().startNanos() + settings.handshakeTimeout().toNanos();
        HandshakeInput in = new HandshakeInput(client, new byte[session.initialBuffer()], deadline);
        Handshake handshake = session.engine().handshakes().forFirstByte(in.peek());
        session.record().protocol(handshake.protocol());
        Negotiated negotiated = handshake.negotiate(in, client.getOutputStream());
        return RequestStep.serve(session, negotiated, in.buffer(), in.leftoverOffset(), in.leftoverEnd());
    }

    private static void answer(Socket client, ProtocolException e) {
        if (e.hasResponse()) {
            try {
                client.getOutputStream().write(e.response());
            } catch (IOException ignored) {
                // The client is gone; nothing else to tell it.
            }
        }
    }
}
