package dev.socksbridge.proxy.relay;

import dev.socksbridge.proxy.Socks5Server.Settings;
import dev.socksbridge.proxy.fault.FaultSession;
import dev.socksbridge.proxy.protocol.ReplyCode;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection from accept to its close event. Its own thread runs the handshake
 * ({@link HandshakeStep}) and the request ({@link RequestStep}), then one half of what the command
 * started while a second thread runs the other: for CONNECT, client to target and target to client;
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

    private volatile Socket target;
    /** A BIND's listening socket or a UDP association's datagram socket: closed with the session. */
    private volatile Closeable resource;
    private volatile boolean aborted;
    private volatile long lastActivityNanos;
    private volatile int runningDirections = 2;
    private volatile int finished;

    Session(long id, Socket client, ProxyEngine engine) {
        this.client = client;
        this.engine = engine;
        this.settings = engine.settings();
        this.record = new SessionRecord(id, (InetSocketAddress) client.getRemoteSocketAddress());
        this.idleNanos = settings.idleTimeout().toNanos();
    }

    @Override
    public void run() {
        Direction upward = null;
        try {
            upward = HandshakeStep.open(this);
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

    /** Starts target-to-client on a new thread; returns client-to-target for the calling thread. */
    Pump startRelay(Socket outbound, byte[] firstBuffer, int offset, int end) throws IOException {
        int idleMillis = (int) settings.idleTimeout().toMillis();
        client.setSoTimeout(idleMillis); // replaces the handshake deadline; 0 = wait forever
        outbound.setSoTimeout(idleMillis);
        touch();
        Pump up = new Pump(client, outbound, firstBuffer, offset, end, settings.bufferSize(), this);
        Pump down = new Pump(outbound, client, new byte[initialBuffer()], 0, 0, settings.bufferSize(), this);
        FaultSession faults = record.faults();
        if (faults != null) {
            up.shaper(faults.shaper(true, client, outbound));
            down.shaper(faults.shaper(false, outbound, client));
        }
        record.setUp(up);
        record.setDown(down);
        startSecondHalf(down);
        return up;
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

    /** Closes both sockets now; the threads blocked on them end and the last one reports the session. */
    void abort(String reason) {
        if (!aborted) {
            aborted = true;
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
        engine.events().closed(record.closeEvent());
    }

    void touch() {
        if (idleNanos > 0) {
            lastActivityNanos = System.nanoTime();
        }
    }

    boolean idleExpired() {
        return idleNanos > 0 && System.nanoTime() - lastActivityNanos >= idleNanos;
    }

    /** Answers the failure (the client may be gone) and records it as the session's outcome. */
    void refuse(Replier replier, ReplyCode code, String reason) {
        try {
            replier.failed(code);
        } catch (IOException e) {
            // The client is gone; the failure itself is what gets reported.
        }
        record.refused(replier.codeFor(code), ReplyCodes.outcomeOf(code), reason);
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

    ProxyEngine engine() {
        return engine;
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
