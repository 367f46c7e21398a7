package dev.socksbridge.proxy;

import dev.socksbridge.proxy.Socks5Server.Settings;
import dev.socksbridge.proxy.protocol.ProtocolException;
import dev.socksbridge.proxy.protocol.ReplyCode;
import dev.socksbridge.proxy.spi.TransparentRoutes;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection from accept to its close event. Its own thread runs the handshake, the request
 * context, its tag, the policy and the command, top to bottom in {@link #serve}, then one half of what
 * the command started while a second thread runs the other: for CONNECT, client to target and target to client;
 * BIND ({@link BindCommand}) and UDP ASSOCIATE ({@link UdpAssociation}) use the same two threads for
 * their own halves. Whichever half ends last closes everything and reports the {@link SessionRecord}.
 */
final class Session implements Runnable {

    /** The logger of the whole session path (the steps and commands log through it too). */
    static final Logger LOG = LoggerFactory.getLogger(Session.class);
    // Updaters on int fields rather than Atomic* objects: no allocation per session for the two counters.
    private static final AtomicIntegerFieldUpdater<Session> RUNNING =
            AtomicIntegerFieldUpdater.newUpdater(Session.class, "runningDirections");
    private static final AtomicIntegerFieldUpdater<Session> FINISHED =
            AtomicIntegerFieldUpdater.newUpdater(Session.class, "finished");

    private final Socket client;
    private final ProxyEngine engine;
    private final Settings settings;
    private final SessionRecord record;
    private final long idleNanos;
    /** When {@link HandshakeDeadlines} closes the client if the handshake is still running. */
    private final long handshakeDeadlineNanos;

    /** The request context, set once by {@link #serve} before any other thread of the session starts. */
    private ConnectionRequest request;
    private volatile Socket target;
    /** A BIND's listening socket or a UDP association's datagram socket: closed with the session. */
    private volatile Closeable resource;
    private volatile boolean aborted;
    private volatile long lastActivityNanos;
    private volatile int runningDirections = 2;
    private volatile int finished;
    /** Until the request is read; then the handshake deadline no longer applies. */
    private volatile boolean handshaking = true;
    /** Set by {@link HandshakeDeadlines} before it closes the client: the failure that follows is the timeout. */
    private volatile boolean handshakeExpired;

    Session(long id, Socket client, ProxyEngine engine) {
        this.client = client;
        this.engine = engine;
        this.settings = engine.settings();
        this.record = new SessionRecord(id, (InetSocketAddress) client.getRemoteSocketAddress());
        this.idleNanos = settings.idleTimeout().toNanos();
        this.handshakeDeadlineNanos = record.startNanos() + settings.handshakeTimeout().toNanos();
    }

    @Override
    public void run() {
        Direction half = null;
        try {
            half = serveAndRecordFailure();
        } finally {
            if (half == null) {
                finish();
            }
        }
        if (half != null) {
            // From here, not from deep inside the handshake: an idle relay thread parks with a short stack.
            runDirection(half);
        }
    }

    /** The session's flow; returns the half for this thread to run, or null once the session ended. */
    private Direction serve() throws IOException {
        client.setTcpNoDelay(true);
        HandshakeInput in = new HandshakeInput(client, new byte[initialBuffer()], handshakeDeadlineNanos);
        Negotiated negotiated = negotiate(in);
        handshaking = false;
        request = record.negotiated(negotiated, tag());
        if (engine.events().wantsOpenEvents()) {
            engine.events().opened(record.openEvent());
        }
        Replier replier = negotiated.replier();
        CommandResult result;
        if (request.command() != Command.UDP_ASSOCIATE && !permits(request)) { // UDP: per datagram
            tellTagger(new ConnectionDeniedException("denied by policy"));
            result = new CommandResult.Refuse(ReplyCode.NOT_ALLOWED, "denied by policy");
        } else if (request.command() == Command.CONNECT) {
            result = ConnectCommand.start(this, replier, in);
        } else if (request.command() == Command.BIND) {
            result = new BindCommand(this, replier).start(in);
        } else {
            result = UdpAssociation.start(this, replier, in);
        }
        if (result instanceof CommandResult.Refuse refusal) {
            refuse(replier, refusal.code(), refusal.outcome(), refusal.reason());
            return null;
        }
        return ((CommandResult.Relay) result).half();
    }

    /** The pre-registered transparent route for this client, or the handshake its first byte calls for. */
    private Negotiated negotiate(HandshakeInput in) throws IOException {
        TransparentRoutes.Route route = settings.extensions().transparentRoutes().route(record.clientAddress());
        if (route != null) {
            return TransparentSession.negotiated(route);
        }
        Handshake handshake = engine.handshakes().forFirstByte(in.peek());
        record.protocol(handshake.protocol());
        return handshake.negotiate(in, client.getOutputStream());
    }

    /** The extension's tag for this client; a tagger that throws leaves the session untagged. */
    private Object tag() {
        try {
            return settings.extensions().tagger().tag(record.id(), record.clientAddress());
        } catch (RuntimeException e) {
            LOG.warn("conn#{}: session tagger failed", record.id(), e);
            return null;
        }
    }

    /** Tells the tagger why a tagged session will not connect (before the client is answered). */
    void tellTagger(IOException failure) {
        Object tag = request.tag();
        if (tag == null) {
            return;
        }
        try {
            settings.extensions().tagger().dialFailed(tag, failure);
        } catch (RuntimeException e) {
            LOG.warn("conn#{}: session tagger failed to take the dial failure", request.id(), e);
        }
    }

    /**
     * Asks the policy and records its decision for the session's events; whether {@code asked} may go on.
     * A policy that throws denies (and is logged), it never ends the session.
     */
    boolean permits(ConnectionRequest asked) {
        ConnectionPolicy.Decision decision;
        try {
            decision = Objects.requireNonNull(settings.policy().decide(asked), "the policy returned no decision");
        } catch (RuntimeException e) {
            LOG.warn("conn#{}: policy failed, denying {}", asked.id(), asked.destination(), e);
            decision = ConnectionPolicy.Decision.deny(null);
        }
        record.policy(decision);
        return !decision.refuses();
    }

    /**
     * Runs {@link #serve}; whatever it throws ends here, as the session's outcome and reason (the client
     * answered where its protocol has an answer).
     */
    private Direction serveAndRecordFailure() {
        try {
            return serve();
        } catch (AuthenticationFailedException e) {
            record.refused(e.replyCode(), Outcome.AUTH_FAILED, e.getMessage()); // before the client can react
            answer(e);
        } catch (ProtocolException e) {
            record.refused(e.replyCode(), Outcome.PROTOCOL_ERROR, e.getMessage());
            answer(e);
        } catch (SocketTimeoutException e) {
            recordHandshakeTimeout();
        } catch (IOException e) {
            if (handshakeExpired) { // the deadlines' thread closed the client under the read
                recordHandshakeTimeout();
            } else {
                record.end(Outcome.FAILED, reason(e));
            }
        } catch (RuntimeException e) {
            LOG.warn("conn#{}: unexpected failure", record.id(), e);
            record.end(Outcome.FAILED, reason(e));
        }
        return null;
    }

    private void recordHandshakeTimeout() {
        record.end(Outcome.TIMEOUT, "handshake timeout (" + settings.handshakeTimeout().toMillis() + "ms)");
    }

    /**
     * Called by {@link HandshakeDeadlines}: closes the client if the handshake outlived its deadline.
     *
     * @return whether the handshake is still running (and so still watched)
     */
    boolean expireHandshake(long nowNanos) {
        if (!handshaking) {
            return false;
        }
        if (nowNanos - handshakeDeadlineNanos >= 0) {
            handshakeExpired = true;
            closeQuietly(client);
        }
        return true;
    }

    boolean handshaking() {
        return handshaking;
    }

    private void answer(ProtocolException e) {
        if (e.hasResponse()) {
            try {
                client.getOutputStream().write(e.response());
                discardArrived();
            } catch (IOException ignored) {
                // The client is gone; nothing else to tell it.
            }
        }
    }

    /**
     * Reads what the client already sent and nobody will read (a refused HTTP request's header fields):
     * closing with unread bytes would reset the connection, and the client could lose the answer.
     * Never waits for more.
     */
    private void discardArrived() throws IOException {
        InputStream in = client.getInputStream();
        byte[] sink = new byte[Pump.INITIAL_BUFFER];
        for (int budget = 64 * 1024; budget > 0 && in.available() > 0; budget -= sink.length) {
            if (in.read(sink, 0, Math.min(sink.length, in.available())) < 0) {
                return;
            }
        }
    }

    /** Starts target-to-client on a new thread; returns client-to-target for the calling thread. */
    CommandResult startRelay(Socket outbound, HandshakeInput in) throws IOException {
        int idleMillis = (int) settings.idleTimeout().toMillis();
        client.setSoTimeout(idleMillis); // replaces the handshake deadline; 0 = wait forever
        outbound.setSoTimeout(idleMillis);
        touch();
        Pump up = new Pump(client, outbound, in.buffer(), in.leftoverOffset(), in.leftoverEnd(), settings.bufferSize(),
                this);
        Pump down = new Pump(outbound, client, new byte[initialBuffer()], 0, 0, settings.bufferSize(), this);
        FaultSession faults = record.faults();
        if (faults != null) {
            up.shaper(faults.shaper(true, client, outbound));
            down.shaper(faults.shaper(false, outbound, client));
        }
        record.setDown(down);
        record.setUp(up);
        startSecondHalf(down);
        return new CommandResult.Relay(up);
    }

    /** Runs {@code half} on the session's second thread; if none can be started, the session is aborted. */
    void startSecondHalf(Direction half) {
        try {
            engine.startThread(() -> runDirection(half));
        } catch (RuntimeException | OutOfMemoryError e) {
            RUNNING.decrementAndGet(this);
            LOG.warn("conn#{}: cannot start relay thread", record.id(), e);
            abort("cannot start relay thread: " + reason(e));
        }
    }

    private void runDirection(Direction pump) {
        try {
            pump.run();
        } catch (SocketTimeoutException e) {
            abort("idle timeout (" + settings.idleTimeout().toMillis() + "ms)");
        } catch (IOException e) {
            abort(reason(e));
        } catch (RuntimeException e) {
            LOG.warn("conn#{}: relay failed", record.id(), e);
            abort(reason(e));
        } finally {
            if (RUNNING.decrementAndGet(this) == 0) {
                finish();
            }
        }
    }

    /**
     * Closes both sockets now; the threads blocked on them end and the last one reports the session. The
     * first reason recorded wins (atomically, in the record), so concurrent aborts need no check here. A
     * relay whose both directions already ended keeps its clean outcome: the client has had every byte.
     */
    void abort(String reason) {
        aborted = true;
        if (!record.relayEnded()) {
            record.noteFailure(reason);
        }
        closeAll();
    }

    private void closeAll() {
        closeQuietly(client);
        Socket outbound = target;
        if (outbound != null) {
            closeQuietly(outbound);
        }
        Closeable held = resource;
        if (held != null) {
            closeQuietly(held);
        }
    }

    private void finish() {
        if (!FINISHED.compareAndSet(this, 0, 1)) {
            return;
        }
        closeAll();
        engine.sessionEnded(this);
        EventSink events = engine.events();
        if (events.wantsCloseEvents()) {
            events.closed(record.closeEvent());
        }
    }

    void touch() {
        if (idleNanos > 0) {
            lastActivityNanos = System.nanoTime();
        }
    }

    boolean idleExpired() {
        return idleNanos > 0 && System.nanoTime() - lastActivityNanos >= idleNanos;
    }

    /**
     * Records the failure as the session's outcome, then answers it (the client may be gone). In that
     * order: a client told of the failure may close the server at once, and the reason must win over
     * "server closed".
     */
    private void refuse(Replier replier, ReplyCode code, Outcome outcome, String reason) {
        record.refused(replier.codeFor(code), outcome, reason);
        try {
            replier.failed(code);
        } catch (IOException e) {
            // The client is gone; the failure itself is what gets reported.
        }
    }

    /** Records that the client was told its request succeeded. */
    void succeeded(Replier replier) {
        record.succeeded(replier.codeFor(ReplyCode.SUCCEEDED));
    }

    /**
     * The outbound socket (for BIND the peer, in the role of the target): closed with the session,
     * reported as reached.
     */
    void attachTarget(Socket outbound, Duration connectTime) throws IOException {
        record.connectTime(connectTime);
        target = outbound;
        closeIfAborted(outbound);
        record.reached((InetSocketAddress) outbound.getRemoteSocketAddress());
        outbound.setTcpNoDelay(true);
    }

    /** Keeps {@code held} to close with the session; closes it at once if the session is already over. */
    void hold(Closeable held) throws SocketException {
        resource = held;
        closeIfAborted(held);
    }

    /** After publishing a socket: close() may have run meanwhile (a dial, an accept) and missed it. */
    private void closeIfAborted(Closeable published) throws SocketException {
        if (aborted) {
            closeQuietly(published);
            throw new SocketException("server closed");
        }
    }

    SessionRecord record() {
        return record;
    }

    /** The request context; set once the handshake is done. */
    ConnectionRequest request() {
        return request;
    }

    Socket client() {
        return client;
    }

    Settings settings() {
        return settings;
    }

    int initialBuffer() {
        return Math.min(Pump.INITIAL_BUFFER, settings.bufferSize());
    }

    static String reason(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
    }

    static void closeQuietly(Closeable socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is best effort; the descriptor is released either way.
        }
    }
}
