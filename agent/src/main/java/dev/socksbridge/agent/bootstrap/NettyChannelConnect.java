package dev.socksbridge.agent.bootstrap;

import java.lang.ref.WeakReference;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The Netty epoll channel whose native socket {@link NettyHooks} sent to the proxy, so that the channel's
 * event loop never waits for the proxy. The proxy dials with the channel's own connect timeout
 * ({@code CONNECT_TIMEOUT_MILLIS}, 0: none). While the proxy has not answered, the connect's completion
 * says "not connected yet" and Netty keeps the connect pending (its own timeout task runs at its deadline,
 * with its own exception); once the proxy answered, this has the event loop complete the connect again.
 * Meanwhile epoll must not report the socket, which is writable (connected to the proxy): Netty 4.2
 * registers channels level-triggered and would be woken again and again; 4.1's edge-triggered epoll would
 * never report it again anyway.
 */
final class NettyChannelConnect {

    /** A dial timeout this close to the channel's own deadline is that deadline (timer granularity). */
    private static final long DEADLINE_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * How long a failure's answer is held for the event loop: for Netty's own timeout task to have run, and
     * for the loop to have completed the connect with the failure (an idle loop: at once).
     */
    private static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final WeakReference<Object> channel;
    private final NettyChannelAccess access;
    private final int timeoutMillis;
    private final long startNanos = System.nanoTime();
    /** Whether the proxy's answer will complete the connect; read and set on the event loop only. */
    private boolean armed;

    private NettyChannelConnect(Object channel, NettyChannelAccess access, int timeoutMillis) {
        this.channel = new WeakReference<>(channel);
        this.access = access;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * The connect of {@code channel} (null: a socket connected outside an epoll channel's connect, e.g.
     * kqueue's), or null when its completion cannot be resumed that way (an unusual Netty build): such a
     * connect's completion waits for the proxy on the event loop, as before.
     */
    static NettyChannelConnect of(Object channel) {
        if (channel == null) {
            return null;
        }
        try {
            NettyChannelAccess access = NettyChannelAccess.of(channel);
            return new NettyChannelConnect(channel, access, access.connectTimeoutMillis(channel));
        } catch (Throwable e) {
            return null;
        }
    }

    /** The channel's connect timeout, which the proxy dials with (0: none, the OS's, as a direct connect). */
    int timeoutMillis() {
        return timeoutMillis;
    }

    /**
     * Has the event loop complete the connect again once the proxy answered, if {@code pending} still
     * says so then and the channel is open (Netty's timeout or the app may have closed it), and stops
     * epoll's writable events meanwhile. On the event loop, inside the socket's {@code connect} or
     * {@code finishConnect}, after which Netty asks for writable events itself: a task that runs next
     * stops them.
     *
     * @return whether the answer will complete the connect (also when an earlier call arranged it); false
     *         when the proxy has answered meanwhile, or the event loop takes no more tasks (it is shutting
     *         down): the caller settles the connect itself
     */
    boolean finishWhenAnswered(ChannelRoute route, BooleanSupplier pending) {
        if (armed) {
            return true;
        }
        Object open = channel.get();
        try {
            access.execute(open, () -> stopWritableEvents(open, pending));
        } catch (Throwable e) {
            return false;
        }
        armed = route.whenAnswered(() -> answered(route, pending));
        return armed;
    }

    /** On the event loop, before it next waits for events. */
    private void stopWritableEvents(Object open, BooleanSupplier pending) {
        try {
            if (pending.getAsBoolean() && access.isOpen(open)) {
                access.stopWritableEvents(open);
            }
        } catch (Throwable e) {
            // the loop is woken by the writable socket until the answer: busy, but the connect still ends
        }
    }

    /**
     * On the proxy's thread, which closes its side of a failed connection once this returns: Netty closes a
     * channel whose peer closed before it connected at once, failing the connect with
     * {@code ClosedChannelException}, so a failure is held (bounded) until the event loop has completed the
     * connect with it. Never throws.
     */
    private void answered(ChannelRoute route, BooleanSupplier pending) {
        Object open = channel.get();
        if (open == null) {
            return;
        }
        try {
            int reply = route.replyNow();
            if (reply == ChannelRoute.TTL_EXPIRED && reachedDeadline()) {
                awaitNettysTimeout(open);
            }
            CountDownLatch completed = new CountDownLatch(1);
            access.execute(open, () -> finish(open, pending, completed));
            if (reply != 0) {
                completed.await(HOLD_NANOS, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the proxy is closing: it ends the connection anyway
        } catch (Throwable e) {
            // the event loop is shut down: its channels are closed with it, nothing is left to complete
        }
    }

    /** Whether the channel's own timeout has run out: only then is a timed-out dial the app's timeout. */
    private boolean reachedDeadline() {
        return timeoutMillis > 0
                && System.nanoTime() - startNanos + DEADLINE_SLACK_NANOS >= TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /**
     * The proxy's dial ran out of the channel's own timeout, so Netty's timeout task fails the connect now,
     * with its {@code ConnectTimeoutException}, as without the agent (and closes the channel): this waits
     * until it has. Bounded: a loop too busy to run its timer by then gets the OS's timeout exception
     * ({@code finishConnect(..) failed with error(-110)}).
     */
    private void awaitNettysTimeout(Object open) throws Throwable {
        long end = System.nanoTime() + HOLD_NANOS;
        while (access.isOpen(open) && end - System.nanoTime() > 0) {
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** On the event loop: Netty's own completion of the pending connect, which the advice now settles. */
    private void finish(Object open, BooleanSupplier pending, CountDownLatch completed) {
        try {
            if (pending.getAsBoolean() && access.isOpen(open)) {
                access.epollOutReady(open);
            }
        } catch (Throwable e) {
            // never into Netty's loop; Netty's timeout, if any, still ends the connect
        } finally {
            completed.countDown();
        }
    }
}
