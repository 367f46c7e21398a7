package dev.socksbridge.proxy;

import dev.socksbridge.proxy.Socks5Server.Settings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server behind {@link Socks5Server}: the listening socket, the accept
 * loop on its own platform thread, the live sessions and every thread they use.
 */
final class ProxyEngine implements AutoCloseable {

    private static final int BACKLOG = 1024;
    private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long CLOSE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long ACCEPT_ERROR_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long CAPACITY_WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Settings settings;
    private final EventSink events;
    private final Handshakes handshakes;
    private final SessionThreads threads;
    private final Set<Session> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean closing;
    private volatile long lastCapacityWarning = System.nanoTime() - CAPACITY_WARNING_INTERVAL_NANOS;
    private ServerSocket serverSocket;
    private Thread acceptThread;
    /** Made with the first session, by the accept thread (the only one that writes the field). */
    private volatile HandshakeDeadlines deadlines;

    ProxyEngine(Settings settings) {
        this.settings = settings;
        this.threads = SessionThreads.create("socksbridge-relay-", settings.threadFactory(),
                settings.extensions().taskDecorator());
        this.events = new EventSink(settings.listeners());
        this.handshakes = new Handshakes(new Logins(settings.credentials(),
                settings.extensions().passwordlessLogins()));
    }

    /** Binds and starts the accept thread; returns the bound address. */
    synchronized InetSocketAddress start() throws IOException {
        if (serverSocket != null) {
            throw new IllegalStateException("start: already started");
        }
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(settings.bindAddress(), settings.port()), BACKLOG);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        serverSocket = socket;
        acceptThread = new Thread(new AcceptLoop(), "socksbridge-accept-" + socket.getLocalPort());
        acceptThread.setDaemon(true); // a library must never keep its host JVM alive
        acceptThread.start();
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** {@link #acceptLoop()} as a class, not a method reference: no lambda is made while an agent starts. */
    private final class AcceptLoop implements Runnable {
        @Override
        public void run() {
            acceptLoop();
        }
    }

    int activeSessions() {
        return active.get();
    }

    private void acceptLoop() {
        while (!closing) {
            Socket client;
            try {
                client = serverSocket.accept();
            } catch (IOException e) {
                if (closing) {
                    return;
                }
                // e.g. too many open files: do not spin, the condition usually clears as sessions end
                log().warn("accept failed on {}: {}", serverSocket.getLocalSocketAddress(), e.toString());
                LockSupport.parkNanos(ACCEPT_ERROR_PAUSE_NANOS);
                continue;
            }
            admit(client);
        }
    }

    private void admit(Socket client) {
        if (active.incrementAndGet() > settings.maxSessions()) {
            active.decrementAndGet();
            Session.closeQuietly(client);
            warnAtCapacity(client);
            return;
        }
        Session session = new Session(ids.incrementAndGet(), client, this);
        live.add(session);
        try {
            watchHandshakes();
            threads.start(session);
        } catch (RuntimeException | OutOfMemoryError e) {
            live.remove(session);
            active.decrementAndGet();
            Session.closeQuietly(client);
            log().warn("cannot start a session thread for {}", client.getRemoteSocketAddress(), e);
        }
    }

    /** Starts the handshake deadlines' thread if it is not running (it ends when no session is left). */
    private void watchHandshakes() {
        HandshakeDeadlines watcher = deadlines;
        if (watcher == null) {
            watcher = new HandshakeDeadlines(this, settings.handshakeTimeout().toNanos());
            deadlines = watcher;
        }
        if (watcher.needsThread()) {
            try {
                threads.start(watcher);
            } catch (RuntimeException | OutOfMemoryError e) {
                watcher.notStarted();
                throw e;
            }
        }
    }

    /** Closes the clients of sessions past their handshake deadline; whether any session is still in its handshake. */
    boolean expireHandshakes(long nowNanos) {
        boolean any = false;
        for (Session session : live) {
            any |= session.expireHandshake(nowNanos);
        }
        return any;
    }

    /** Whether a session is in its handshake (a new one is from before it is live until its request was read). */
    boolean hasHandshakingSessions() {
        for (Session session : live) {
            if (session.handshaking()) {
                return true;
            }
        }
        return false;
    }

    boolean closing() {
        return closing;
    }

    private void warnAtCapacity(Socket client) {
        long now = System.nanoTime();
        if (now - lastCapacityWarning >= CAPACITY_WARNING_INTERVAL_NANOS) {
            lastCapacityWarning = now;
            log().warn("maxSessions ({}) reached: refusing {} (and others for the next 10s)", settings.maxSessions(),
                    client.getRemoteSocketAddress());
        } else {
            log().debug("maxSessions ({}) reached: refusing {}", settings.maxSessions(), client.getRemoteSocketAddress());
        }
    }

    /**
     * Stops accepting, closes every live session and waits (up to 10 s) until the accept thread and all
     * session threads have ended. Threads blocked in a connect or in a listener get interrupted after 1 s.
     */
    @Override
    public void close() {
        closing = true;
        synchronized (this) {
            if (serverSocket == null) {
                return;
            }
            try {
                serverSocket.close();
            } catch (IOException e) {
                log().debug("closing the listening socket: {}", e.toString());
            }
        }
        long deadline = System.nanoTime() + CLOSE_LIMIT_NANOS;
        try {
            TimeUnit.NANOSECONDS.timedJoin(acceptThread, CLOSE_LIMIT_NANOS);
            HandshakeDeadlines watching = deadlines; // the accept thread has ended: no more writes
            if (watching != null) {
                watching.wake(); // sees closing and ends now
            }
            threads.beginDrain();
            abortAll();
            if (!threads.awaitAll(System.nanoTime() + CLOSE_GRACE_NANOS).isEmpty()) {
                threads.interruptAll(); // unblocks threads in connect() or in a slow listener
                abortAll();
                String stuck = threads.awaitAll(deadline);
                if (!stuck.isEmpty()) {
                    log().warn("close: still running after 10s: {}", stuck);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abortAll();
        }
    }

    private void abortAll() {
        for (Session session : live) {
            session.abort("server closed");
        }
    }

    Settings settings() {
        return settings;
    }

    EventSink events() {
        return events;
    }

    Handshakes handshakes() {
        return handshakes;
    }

    void startThread(Runnable task) {
        threads.start(task);
    }

    void sessionEnded(Session session) {
        live.remove(session);
        active.decrementAndGet();
    }

    /**
     * Looked up when first needed, not when the class loads: the proxy starts before the app's main
     * (as an agent) and usually never logs from here, so SLF4J is not set up at start-up for it.
     */
    private static Logger log() {
        return LoggerFactory.getLogger(ProxyEngine.class);
    }
}
