package dev.socksbridge.agent.instrument;

import dev.socksbridge.agent.bootstrap.AppConnectTimer;
import dev.socksbridge.agent.bootstrap.AsyncCallers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.Executor;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.dynamic.ClassFileLocator;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Hooks {@code jdk.internal.net.http.HttpClientImpl.sendAsync(HttpRequest, BodyHandler, PushPromiseHandler,
 * Executor)} (the same private method on JDK 17 to 25), where both {@code send} and {@code sendAsync}
 * arrive. {@code sendAsync} passes the executor on which the exchange starts, so its connect runs on a
 * worker thread with no application frame; wrapping that executor hands the caller over
 * ({@link AsyncCallers}). {@code send} passes null (the exchange starts on the caller's own thread) and is
 * left alone.
 *
 * <p>The connections an exchange opens later (a redirect, a retry, a new connection after the first
 * failed) are opened from {@code MultiExchange.responseAsyncImpl()}, which runs again on whatever thread
 * completed the previous step (a worker, the client's selector-manager thread). Each {@code MultiExchange}
 * (one per {@code send}/{@code sendAsync}) remembers the caller it was created by, and each run of
 * {@code responseAsyncImpl} hands it over to the connects inside it ({@link AsyncCallers#enter}).
 *
 * <p>{@code java.net.http.HttpClient}'s connect timeout is its own timer on its selector-manager thread,
 * which a redirected channel's completion (waiting there for the proxy's answer) would hold up: the
 * timer ({@code PlainHttpConnection.ConnectTimerEvent}) is handed to that connect ({@link AppConnectTimer}).
 *
 * <p>The classes belong to the platform class loader ({@code java.net.http}), so unlike the other hooked
 * classes they are rewritten when they load, never loaded early: initialising them would read the
 * {@code jdk.httpclient.*} properties before the app could set them.
 */
final class HttpClientInstrumentation {

    static final String HTTP_CLIENT = "jdk.internal.net.http.HttpClientImpl";
    static final String MULTI_EXCHANGE = "jdk.internal.net.http.MultiExchange";
    static final String PLAIN_CONNECTION = "jdk.internal.net.http.PlainHttpConnection";
    static final String CONNECT_TIMER = PLAIN_CONNECTION + "$ConnectTimerEvent";

    private HttpClientInstrumentation() {
    }

    static void addTo(Map<String, AsmVisitorWrapper> byName, ClassFileLocator advice) {
        byName.put(HTTP_CLIENT, Advice.to(SendAsyncAdvice.class, advice)
                .on(named("sendAsync").and(takesArguments(4)).and(takesArgument(3, Executor.class))));
        byName.put(MULTI_EXCHANGE, Advice.to(HandOverAdvice.Made.class, advice).on(isConstructor())
                .method(named("responseAsyncImpl").and(takesArguments(0)), Advice.to(HandOverAdvice.Step.class, advice)));
        byName.put(CONNECT_TIMER, Advice.to(ConnectTimerAdvice.class, advice).on(isConstructor()));
        byName.put(PLAIN_CONNECTION, Advice.to(ConnectAsyncAdvice.class, advice)
                .on(named("connectAsync").and(takesArguments(1))));
    }

    /** Inlined at the entry of {@code HttpClientImpl.sendAsync(..., Executor exchangeExecutor)}. */
    static final class SendAsyncAdvice {
        private SendAsyncAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(value = 3, readOnly = false) Executor exchangeExecutor) {
            exchangeExecutor = AsyncCallers.carryCaller(exchangeExecutor);
        }
    }

    /**
     * Inlined at the exit of {@code PlainHttpConnection.ConnectTimerEvent}'s constructor: the client's timer
     * for the connect its thread is about to make ({@link AppConnectTimer}). {@code MethodHandles.lookup()}
     * runs inside the timer's class, so it reaches the timer's {@code handle()} without opening the package
     * (looked up once per JVM).
     */
    static final class ConnectTimerAdvice {
        private ConnectTimerAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object timer, @Advice.AllArguments Object[] args) throws Throwable {
            if (AppConnectTimer.needsHandleMethod()) { // once per JVM, not per connection
                AppConnectTimer.handleMethod(MethodHandles.lookup()
                        .findVirtual(timer.getClass(), "handle", MethodType.methodType(void.class)));
            }
            AppConnectTimer.made(timer, args);
        }
    }

    /** Inlined at the exit of {@code PlainHttpConnection.connectAsync}: a timer its connect did not take is dropped. */
    static final class ConnectAsyncAdvice {
        private ConnectAsyncAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit() {
            AppConnectTimer.connectDone();
        }
    }
}
