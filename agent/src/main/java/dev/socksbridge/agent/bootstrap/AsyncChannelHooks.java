package dev.socksbridge.agent.bootstrap;

import dev.socksbridge.agent.bootstrap.Redirects.DirectConnect;
import java.io.FileDescriptor;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

/**
 * What the advice inlined into {@code sun.nio.ch.UnixAsynchronousSocketChannelImpl} calls once its connect
 * was sent on its way by {@link ChannelHooks#connectEnter}: the asynchronous channel reports its outcome to
 * a {@code Future} or to the app's {@code CompletionHandler} (on the channel group's thread), not by
 * returning or throwing, and may complete inside {@code implConnect} itself. The redirect's bookkeeping
 * (the routes awaiting the proxy's answer, the registration by port) stays in {@link ChannelHooks}.
 */
public final class AsyncChannelHooks {

    private AsyncChannelHooks() {
    }

    /** Advice: the async channel's {@code remoteAddress} after {@code setConnected}. */
    public static InetSocketAddress asyncRemoteAddress(Object channel, InetSocketAddress current) {
        ChannelRoute route = ChannelHooks.awaiting(channel);
        return route == null || current == null ? current : route.destination();
    }

    /**
     * Advice: exit of the async channel's {@code setConnected()}; the JDK closes the channel on failure. A
     * connect that completed at once runs this inside {@code implConnect}, before the port is registered
     * at its exit, so it registers first (the proxy waits for that registration).
     */
    public static Throwable asyncConnectedExit(Object channel, Throwable thrown, FileDescriptor fd) {
        ChannelRoute route = thrown == null ? ChannelHooks.awaiting(channel) : null;
        if (route == null) {
            return thrown;
        }
        ConnectObserver observer = Hooks.observer();
        if (route.localPort() == 0 && observer != null) {
            Redirects.registerPort(observer, route, ChannelHooks.localPort(fd));
        }
        return ChannelHooks.awaitAnswer(channel, false, 0);
    }

    /**
     * Advice: exit of the async channel's {@code implConnect}, whose outcome goes to a {@code Future}
     * ({@code result}) or to the app's {@code handler}. Registers a redirected channel's port, reports a
     * direct connect, or fails a refused one as a failed connect fails: closed, with the exception in the
     * future or handed to the handler on the channel group's thread.
     *
     * @param group the channel's group (the JDK's {@code Port}, an {@link Executor} for completion handlers)
     * @return what {@code implConnect} returns
     */
    public static Object asyncConnectExit(Object channel, Object pending, FileDescriptor fd, Object group,
            Object attachment, Object handler, Object result, Throwable thrown) {
        if (pending instanceof ConnectRefusal refusal) {
            ChannelHooks.closeQuietly(channel);
            ConnectException refused = refusal.fail();
            if (handler == null) {
                return CompletableFuture.failedFuture(refused);
            }
            fail(group, handler, attachment, refused);
            return null;
        }
        if (pending instanceof DirectConnect direct) {
            direct.report(thrown != null ? thrown : immediateFailure(channel, result));
        } else if (pending instanceof ChannelRoute route && route.unbound()) {
            Throwable failed = thrown != null ? thrown : immediateFailure(channel, result);
            Throwable unregistered = ChannelHooks.registerAfterConnect(channel, route, fd, failed);
            if (failed != null && unregistered == null) { // never reached the proxy: it will never report it
                ChannelHooks.forget(channel);
                Redirects.neverReachedProxy(route, failed);
            }
        }
        return result;
    }

    /**
     * How an async connect failed at once (the JDK then closed the channel): the future's exception, or,
     * when it went to the app's handler, one that says so. Null while the channel is open.
     */
    private static Throwable immediateFailure(Object channel, Object result) {
        if (!(channel instanceof Channel open) || open.isOpen()) {
            return null;
        }
        if (result instanceof Future<?> future && future.isDone()) {
            try {
                future.get();
            } catch (ExecutionException e) {
                return e.getCause();
            } catch (InterruptedException | RuntimeException e) {
                // not a failure the connect reported
            }
        }
        return new ConnectException("connect failed (the exception went to the app's CompletionHandler)");
    }

    /** Hands {@code failure} to the app's completion handler on the group's thread, as the JDK does. */
    @SuppressWarnings("unchecked")
    private static void fail(Object group, Object handler, Object attachment, Throwable failure) {
        CompletionHandler<Object, Object> app = (CompletionHandler<Object, Object>) handler;
        Runnable call = () -> app.failed(failure, attachment);
        if (group instanceof Executor executor) {
            executor.execute(call);
        } else {
            call.run();
        }
    }
}
