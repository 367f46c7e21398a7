package dev.socksbridge.agent.bootstrap;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One application channel redirected to the in-process proxy: where it really wanted to go, who asked,
 * and the proxy's answer (its upstream connect's result), which the channel's connect completion waits
 * for so the app sees the same success or exception as without the agent.
 */
public final class ChannelRoute {

    /** The SOCKS5 reply for a dial that timed out. */
    static final int TTL_EXPIRED = 6;

    private final CallerTag tag;
    private final InetSocketAddress destination;
    private final InetSocketAddress proxy;
    /** 0 until an unbound channel's connect returned ({@link #registeredAs}). */
    private volatile int localPort;
    private final boolean unbound;
    /** Counted down once the proxy answered; a latch, not a monitor, so a waiting virtual thread never pins its carrier. */
    private final CountDownLatch answered = new CountDownLatch(1);
    private volatile IOException failure;
    private volatile int replyCode = -1;
    /** The app's own connect timer (HttpClient's), or null: then the proxy's answer is waited for. */
    private volatile AppConnectTimer appTimer;
    /** Told once the proxy answered ({@link #whenAnswered}); guarded by {@code answered}. */
    private Runnable listener;

    ChannelRoute(CallerTag tag, InetSocketAddress destination, InetSocketAddress proxy, int localPort) {
        this.tag = tag;
        this.destination = destination;
        this.proxy = proxy;
        this.localPort = localPort;
        this.unbound = localPort == 0;
    }

    public CallerTag tag() {
        return tag;
    }

    /** The address the app asked for (resolved: channels never connect to an unresolved address). */
    public InetSocketAddress destination() {
        return destination;
    }

    InetSocketAddress proxy() {
        return proxy;
    }

    AppConnectTimer appTimer() {
        return appTimer;
    }

    void appTimer(AppConnectTimer timer) {
        appTimer = timer;
    }

    /** After {@link #await} failed: whether the proxy's dial timed out, or the proxy did not answer yet. */
    boolean timedOut() {
        return answered.getCount() > 0 || replyCode == TTL_EXPIRED;
    }

    public int localPort() {
        return localPort;
    }

    /**
     * The port an unbound channel's connect got; set once, on this route's monitor, before the route is
     * registered ({@link Redirects#registerPort}).
     */
    void registeredAs(int port) {
        localPort = port;
    }

    /**
     * Whether the route was made for an unbound connection ({@code localPort} 0 then): its connect counted
     * itself in flight ({@link ConnectObserver#channelConnecting}), and its exit registers it and says it
     * is done, even when the async channel's completion registered it first.
     */
    boolean unbound() {
        return unbound;
    }

    /**
     * The proxy's answer: its SOCKS5 reply code (0 connected) and, for a failure, the exception the JDK
     * throws for a direct connect that fails the same way (the proxy maps its reply code, so this class, on
     * the boot class path, needs no part of the proxy).
     */
    public void complete(int code, IOException exception) {
        Runnable told;
        synchronized (answered) {
            if (answered.getCount() == 0) {
                return;
            }
            failure = exception;
            replyCode = code;
            answered.countDown();
            told = listener;
            listener = null;
        }
        if (told != null) {
            told.run(); // on the proxy's thread, before it closes its side of the connection
        }
    }

    /**
     * Runs {@code then} once the proxy answers, on the thread that answers ({@link #complete}), which
     * closes its side of a failed connection only after {@code then} returned. One listener per route;
     * {@code then} must not throw.
     *
     * @return false (and {@code then} is never run) when the proxy has answered already
     */
    boolean whenAnswered(Runnable then) {
        synchronized (answered) {
            if (answered.getCount() == 0) {
                return false;
            }
            listener = then;
            return true;
        }
    }

    /** The proxy's SOCKS5 reply code (0: connected), or -1 while it has not answered; never waits. */
    int replyNow() {
        return answered.getCount() == 0 ? replyCode : -1;
    }

    /**
     * Waits for the proxy's answer.
     *
     * @param appTimeout whether {@code timeoutMillis} is the app's own connect timeout (running out of it
     *                   is then the adaptor's {@code SocketTimeoutException}, as without the agent)
     * @return null when connected, else the exception the app would have seen without the agent
     */
    IOException await(long timeoutMillis, boolean appTimeout) throws InterruptedException {
        if (answered.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            IOException answer = failure;
            if (answer != null) {
                answer.fillInStackTrace(); // made on the proxy's thread, thrown on the app's: show the app's
            }
            return answer;
        }
        if (appTimeout) {
            return new SocketTimeoutException("Connect timed out");
        }
        return new ConnectException("Connection timed out (socksbridge: no answer from the in-process proxy within "
                + timeoutMillis + " ms)");
    }

    /**
     * Waits for the proxy's answer without turning it into an exception (Netty's native transports throw
     * their own exceptions, see {@link NettyHooks}).
     *
     * @return the SOCKS5 reply code (0: connected), or -1 when the proxy did not answer in time
     */
    int awaitReply(long timeoutMillis) throws InterruptedException {
        return answered.await(timeoutMillis, TimeUnit.MILLISECONDS) ? replyCode : -1;
    }

    /** After {@link #awaitReply} gave a failure code: the JDK's exception for it, thrown on the app's thread. */
    IOException failure() {
        IOException answer = failure;
        if (answer != null) {
            answer.fillInStackTrace();
        }
        return answer;
    }
}
