package dev.socksbridge.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.time.Duration;

/**
 * The connect timeout of a {@code java.net.http.HttpClient} connection ({@code connectTimeout(Duration)}),
 * which the client enforces with a timer of its own ({@code PlainHttpConnection.ConnectTimerEvent}) run on
 * its selector-manager thread. That timer is made right before the connection's channel connects, on the
 * same thread; the advice in its constructor leaves it here for that connect ({@link #take}). A redirected
 * channel then has the proxy dial with the app's timeout, and its completion waits no longer than the
 * app's deadline: at the deadline it runs the client's own timer ({@link #fire}), which the blocked
 * selector thread could not, so the app gets the client's {@code HttpConnectTimeoutException} at its time.
 */
public final class AppConnectTimer {

    /** The timer made on this thread for the connect about to happen, until that connect (or its end). */
    private static final ThreadLocal<AppConnectTimer> MADE = new ThreadLocal<>();
    /**
     * {@code ConnectTimerEvent.handle()}, unbound: found once, by the advice inlined into that class (whose
     * lookup reaches it without opening the package), not per connection.
     */
    private static volatile MethodHandle handleMethod;

    private final int millis;
    private final long deadlineNanos;
    private final Object timer;

    private AppConnectTimer(int millis, long deadlineNanos, Object timer) {
        this.millis = millis;
        this.deadlineNanos = deadlineNanos;
        this.timer = timer;
    }

    /** Advice: whether {@link #handleMethod} is still to be found (then it calls {@link #handleMethod}). */
    public static boolean needsHandleMethod() {
        return handleMethod == null;
    }

    /** Advice: {@code ConnectTimerEvent.handle()}, as {@code (ConnectTimerEvent)void}. */
    public static void handleMethod(MethodHandle handle) {
        handleMethod = handle;
    }

    /**
     * Advice: a {@code ConnectTimerEvent} was made; {@code args} are its constructor's (one is the
     * {@code Duration}).
     */
    public static void made(Object timer, Object[] args) {
        if (Hooks.observer() == null || handleMethod == null) {
            return;
        }
        for (Object arg : args) {
            if (arg instanceof Duration duration) {
                long millis = Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
                MADE.set(new AppConnectTimer((int) millis, System.nanoTime() + duration.toNanos(), timer));
                return;
            }
        }
    }

    /** Advice: exit of {@code PlainHttpConnection.connectAsync}: a timer not taken by a connect is dropped. */
    public static void connectDone() {
        MADE.remove();
    }

    /** The timer made on this thread for the connect now entering, once; null when none. */
    static AppConnectTimer take() {
        AppConnectTimer timer = MADE.get();
        if (timer != null) {
            MADE.remove();
        }
        return timer;
    }

    /** The app's connect timeout, which the proxy's dial uses. */
    int millis() {
        return millis;
    }

    /** What is left until the app's deadline, at least 1 ms. */
    long remainingMillis() {
        return Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000L);
    }

    /** Runs the client's own timer, as its selector thread would have at the deadline; never throws. */
    void fire() {
        try {
            handleMethod.invoke(timer);
        } catch (Throwable e) {
            // the connect still fails (ConnectException); only the client's wording is lost
        }
    }
}
