package dev.socksbridge.it;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.ConnectionListener;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Keeps the proxy's close events so a test can wait for one with a bounded timeout. */
final class RecordingListener implements ConnectionListener {
    private final LinkedBlockingQueue<ConnectionEvent> closed = new LinkedBlockingQueue<>();

    @Override
    public void onClose(ConnectionEvent event) {
        closed.add(event);
    }

    /** The next session that ended; fails the test if none ends within {@code timeout}. */
    ConnectionEvent nextClosed(Duration timeout) throws InterruptedException {
        ConnectionEvent event = closed.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no proxy session ended within " + timeout);
        }
        return event;
    }

    /** Sessions that ended and were not taken yet. */
    int pending() {
        return closed.size();
    }
}
