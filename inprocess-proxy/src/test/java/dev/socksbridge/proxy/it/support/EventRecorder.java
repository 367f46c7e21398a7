package dev.socksbridge.proxy.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.ConnectionListener;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ConnectionListener} that keeps every event, in order, and the threads they arrived on
 * (listeners run on the session's own thread, which lets tests check those threads end).
 */
public final class EventRecorder implements ConnectionListener {

    private final BlockingQueue<ConnectionEvent> opens = new LinkedBlockingQueue<>();
    private final BlockingQueue<ConnectionEvent> closes = new LinkedBlockingQueue<>();
    private final List<ConnectionEvent> all = new CopyOnWriteArrayList<>();
    private final Set<Thread> sessionThreads = ConcurrentHashMap.newKeySet();
    private final Map<Integer, CompletableFuture<ConnectionEvent>> closesByClientPort = new ConcurrentHashMap<>();

    @Override
    public void onOpen(ConnectionEvent event) {
        sessionThreads.add(Thread.currentThread());
        all.add(event);
        opens.add(event);
    }

    @Override
    public void onClose(ConnectionEvent event) {
        sessionThreads.add(Thread.currentThread());
        all.add(event);
        closes.add(event);
        closeFuture(event.client().getPort()).complete(event);
    }

    /** The close event of the session whose client used local port {@code clientPort}. */
    public ConnectionEvent closeOf(int clientPort) throws Exception {
        try {
            return closeFuture(clientPort).get(Limits.IO.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return fail("no close event for client port " + clientPort + " within " + Limits.IO + "; events: " + all);
        }
    }

    private CompletableFuture<ConnectionEvent> closeFuture(int clientPort) {
        return closesByClientPort.computeIfAbsent(clientPort, port -> new CompletableFuture<>());
    }

    /** The next open event, waiting up to {@link Limits#IO}. */
    public ConnectionEvent nextOpen() throws InterruptedException {
        return next(opens, "open");
    }

    /** The next close event, waiting up to {@link Limits#IO}. */
    public ConnectionEvent nextClose() throws InterruptedException {
        return next(closes, "close");
    }

    public int closeCount() {
        return (int) all.stream().filter(ConnectionEvent::isClosed).count();
    }

    /** The threads any event was delivered on. */
    public Set<Thread> sessionThreads() {
        return Set.copyOf(sessionThreads);
    }

    private static ConnectionEvent next(BlockingQueue<ConnectionEvent> queue, String kind) throws InterruptedException {
        ConnectionEvent event = queue.poll(Limits.IO.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            fail("no " + kind + " event within " + Limits.IO);
        }
        return event;
    }
}
