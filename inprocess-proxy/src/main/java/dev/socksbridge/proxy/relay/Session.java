package dev.socksbridge.proxy.relay;

import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Protocol;
import dev.socksbridge.proxy.Socks5Server.Settings;
import dev.socksbridge.proxy.TransparentRoutes;
import dev.socksbridge.proxy.protocol.ProtocolException;
import dev.socksbridge.proxy.protocol.ReplyCode;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: handshake, then {@link #connect} (policy, dial, reply), then the two-way relay.
 * Runs on its own thread, which after the reply copies client to target while a second thread copies
 * target to client; whichever direction ends last closes both sockets and reports the session.
 * BIND ({@link BindCommand}) and UDP ASSOCIATE ({@link UdpAssociation}) use the same two threads for
 * their own halves.
 */
final class Session implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final long id;
    private final Socket client;
    private final ProxyEngine engine;
    private final Settings settings;
    private final InetSocketAddress clientAddress;
    private final Instant start = Instant.now();
    private final long startNanos = System.nanoTime();
    private final long idleNanos;

    // Written by the session thread before the second relay thread starts (Thread.start orders them),
    // read by whichever thread finishes (ordered by runningDirections).
    private Protocol protocol = Protocol.SOCKS5;
    private Command command;
    private Destination destination;
    private InetSocketAddress reached;
    private Outcome outcome = Outcome.FAILED;
    private int replyCode = -1;
    private Duration connectTime;
    private String user;
    private volatile Pump up; // set by a BIND's client-side thread once its peer connected
    private Pump down;
    private UdpRelay udp;

    private volatile String failure;
    private volatile Socket target;
    /** A BIND's listening socket or a UDP association's datagram socket: closed with the session. */
    private volatile Closeable resource;
    private volatile boolean aborted;
    private volatile long lastActivityNanos;
    private final AtomicInteger runningDirections = new AtomicInteger(2);
    private final AtomicBoolean finished = new AtomicBoolean();

    Session(long id, Socket client, ProxyEngine engine) {
        this.id = id;
        this.client = client;
        this.engine = engine;
        this.settings = engine.settings();
        this.clientAddress = (InetSocketAddress) client.getRemoteSocketAddress();
        this.idleNanos = settings.idleTimeout().toNanos();
    }

    @Override
    public void run() {
        Direction upward = null;
        try {
            upward = handshakeAndConnect();
        } catch (AuthenticationFailedException e) {
            answer(e);
            replyCode = e.replyCode();
            end(Outcome.AUTH_FAILED, e.getMessage());
        } catch (ProtocolException e) {
            answer(e);
            replyCode = e.replyCode();
            end(Outcome.PROTOCOL_ERROR, e.getMessage());
        } catch (SocketTimeoutException e) {
            end(Outcome.TIMEOUT, "handshake timeout (" + settings.handshakeTimeout().toMillis() + "ms)");
        } catch (IOException e) {
            end(Outcome.FAILED, reason(e));
        } catch (RuntimeException e) {
            LOG.warn("conn#{}: unexpected failure", id, e);
            end(Outcome.FAILED, reason(e));
        } finally {
            if (upward == null) {
                finish();
            }
        }
        if (upward != null) {
            // From here, not from deep inside the handshake: an idle relay thread parks with a short stack.
            runDirection(upward);
        }
    }

    private Direction handshakeAndConnect() throws IOException {
        client.setTcpNoDelay(true);
        TransparentRoutes.Route route = settings.transparentRoutes().route(clientAddress);
        if (route != null) {
            return connect(TransparentSession.negotiated(route), new byte[initialBuffer()], 0, 0);
        }
        long deadline = startNanos + settings.handshakeTimeout().toNanos();
        HandshakeInput in = new HandshakeInput(client, new byte[initialBuffer()], deadline);
        Handshake handshake = engine.handshakes().forFirstByte(in.peek());
        protocol = handshake.protocol();
        Negotiated negotiated = handshake.negotiate(in, client.getOutputStream());
        return connect(negotiated, in.buffer(), in.leftoverOffset(), in.leftoverEnd());
    }

    /**
     * Everything after the handshake, usable without one: reports the open, applies the policy, serves
     * the command and answers. Returns the half for the caller's thread to run (for CONNECT the
     * client-to-target pump, whose first bytes are {@code firstBuffer[offset..end)}, what the client sent
     * early), or null when the session ended (the client was answered with the failure).
     */
    Direction connect(Negotiated negotiated, byte[] firstBuffer, int offset, int end) throws IOException {
        command = negotiated.command();
        destination = negotiated.destination();
        if (negotiated.protocol() != null) {
            protocol = negotiated.protocol();
        }
        user = negotiated.user();
        ConnectionRequest request = new ConnectionRequest(id, clientAddress, protocol, command, destination);
        if (engine.events().wantsOpenEvents()) {
            engine.events().opened(snapshot(Outcome.OPEN));
        }
        Replier replier = negotiated.replier();
        if (command == Command.UDP_ASSOCIATE) { // the policy is asked per datagram, for its destination
            return UdpAssociation.start(this, replier, firstBuffer);
        }
        if (!permits(request)) {
            refuse(replier, ReplyCode.NOT_ALLOWED, "denied by policy");
            return null;
        }
        if (command == Command.BIND) {
            return new BindCommand(this, replier).start(firstBuffer, offset, end);
        }
        Socket outbound = dial(replier, request);
        if (outbound == null) {
            return null;
        }
        InetSocketAddress bound = (InetSocketAddress) outbound.getLocalSocketAddress();
        if (bound == null) { // closed under us by close()
            throw new SocketException("outbound socket closed before the reply");
        }
        replier.succeeded(bound);
        succeeded(replier);
        return startRelay(outbound, firstBuffer, offset, end);
    }

    boolean permits(ConnectionRequest request) {
        try {
            return settings.policy().permits(request);
        } catch (RuntimeException e) {
            LOG.warn("conn#{}: policy failed, denying {}", id, destination, e);
            return false;
        }
    }

    /** Returns the connected outbound socket, or null after answering the client with the failure. */
    private Socket dial(Replier replier, ConnectionRequest request) throws IOException {
        long dialStart = System.nanoTime();
        Socket outbound;
        try {
            outbound = settings.dialer().dial(request, (int) settings.connectTimeout().toMillis());
        } catch (IOException e) {
            refuse(replier, ReplyCodes.forDialFailure(e), reason(e));
            return null;
        } catch (RuntimeException e) {
            LOG.warn("conn#{}: dialer failed for {}", id, destination, e);
            refuse(replier, ReplyCode.GENERAL_FAILURE, reason(e));
            return null;
        }
        connectTime = Duration.ofNanos(System.nanoTime() - dialStart);
        target = outbound;
        if (aborted) { // close() ran while we dialed; it may have missed this socket
            closeQuietly(outbound);
            throw new SocketException("server closed");
        }
        reached = (InetSocketAddress) outbound.getRemoteSocketAddress();
        outbound.setTcpNoDelay(true);
        return outbound;
    }

    /** Starts target-to-client on a new thread; returns client-to-target for the calling thread. */
    private Pump startRelay(Socket outbound, byte[] firstBuffer, int offset, int end) throws IOException {
        int idleMillis = (int) settings.idleTimeout().toMillis();
        client.setSoTimeout(idleMillis); // replaces the handshake deadline; 0 = wait forever
        outbound.setSoTimeout(idleMillis);
        touch();
        up = new Pump(client, outbound, firstBuffer, offset, end, settings.bufferSize(), this);
        down = new Pump(outbound, client, new byte[initialBuffer()], 0, 0, settings.bufferSize(), this);
        startSecondHalf(down);
        return up;
    }

    /** Runs {@code half} on the session's second thread; if none can be started, the session is aborted. */
    void startSecondHalf(Direction half) {
        try {
            engine.startThread(() -> runDirection(half));
        } catch (RuntimeException | OutOfMemoryError e) {
            runningDirections.decrementAndGet();
            LOG.warn("conn#{}: cannot start relay thread", id, e);
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
            LOG.warn("conn#{}: relay failed", id, e);
            abort(reason(e));
        } finally {
            if (runningDirections.decrementAndGet() == 0) {
                finish();
            }
        }
    }

    /** Closes both sockets now; the threads blocked on them end and the last one reports the session. */
    void abort(String reason) {
        if (!aborted) {
            aborted = true;
            if (failure == null) {
                failure = reason;
            }
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

    void touch() {
        if (idleNanos > 0) {
            lastActivityNanos = System.nanoTime();
        }
    }

    boolean idleExpired() {
        return idleNanos > 0 && System.nanoTime() - lastActivityNanos >= idleNanos;
    }

    void refuse(Replier replier, ReplyCode code, String reason) {
        try {
            replier.failed(code);
        } catch (IOException e) {
            // The client is gone; the failure itself is what gets reported.
        }
        replyCode = replier.codeFor(code);
        end(ReplyCodes.outcomeOf(code), reason);
    }

    /** Records that the client was told its request succeeded. */
    void succeeded(Replier replier) {
        replyCode = replier.codeFor(ReplyCode.SUCCEEDED);
        outcome = Outcome.OK;
    }

    private void answer(ProtocolException e) {
        if (e.hasResponse()) {
            try {
                client.getOutputStream().write(e.response());
            } catch (IOException ignored) {
                // The client is gone; nothing else to tell it.
            }
        }
    }

    private void end(Outcome how, String reason) {
        outcome = how;
        if (failure == null) {
            failure = reason;
        }
    }

    private void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        closeAll();
        engine.sessionEnded(this);
        engine.events().closed(snapshot(outcome));
    }

    private ConnectionEvent snapshot(Outcome how) {
        boolean open = how == Outcome.OPEN;
        Pump upward = up;
        UdpRelay datagrams = udp;
        long bytesUp = upward != null ? upward.bytes() : datagrams != null ? datagrams.bytesUp() : 0;
        long bytesDown = down != null ? down.bytes() : datagrams != null ? datagrams.bytesDown() : 0;
        return new ConnectionEvent(id, protocol, command, clientAddress, destination, reached, how, replyCode,
                bytesUp, bytesDown, start, connectTime,
                open ? null : Duration.ofNanos(System.nanoTime() - startNanos), open ? null : failure, user,
                datagrams == null ? 0 : datagrams.datagramsUp(), datagrams == null ? 0 : datagrams.datagramsDown(),
                datagrams == null ? 0 : datagrams.datagramsDropped());
    }

    // --- for BindCommand and UdpAssociation ---

    long id() {
        return id;
    }

    Socket client() {
        return client;
    }

    Settings settings() {
        return settings;
    }

    Destination destination() {
        return destination;
    }

    InetSocketAddress clientAddress() {
        return clientAddress;
    }

    ConnectionRequest requestTo(Destination where) {
        return new ConnectionRequest(id, clientAddress, protocol, command, where);
    }

    /** Keeps {@code held} to close with the session; closes it at once if the session is already over. */
    void hold(Closeable held) throws SocketException {
        resource = held;
        if (aborted) {
            closeQuietly(held);
            throw new SocketException("server closed");
        }
    }

    /** A BIND's peer, in the role of the target: closed with the session, reported as reached. */
    void attachPeer(Socket peer, Duration waited) throws IOException {
        target = peer;
        connectTime = waited;
        if (aborted) {
            closeQuietly(peer);
            throw new SocketException("server closed");
        }
        reached = (InetSocketAddress) peer.getRemoteSocketAddress();
        peer.setTcpNoDelay(true);
    }

    void setUp(Pump pump) {
        up = pump;
    }

    void setDown(Pump pump) {
        down = pump;
    }

    void setUdp(UdpRelay relay) {
        udp = relay;
    }

    String failure() {
        return failure;
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
