package dev.socksbridge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.capture.VirtualThreads;
import dev.socksbridge.proxy.it.support.Await;
import dev.socksbridge.proxy.spi.Extensions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Builder.threadFactory}: the agent on JDK 21-23 needs sessions on platform threads (an app's
 * virtual thread is pinned while the JDK's SOCKS client waits for the reply), so the server must run its
 * session and relay threads from the factory it is given. {@code Extensions.taskDecorator}: the agent marks
 * those threads as its own, so every session task must run through it.
 */
@Timeout(60)
class Socks5ServerThreadFactoryIT {

    @Test
    void sessionAndRelayThreadsComeFromTheGivenFactory() throws Exception {
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory platform = recordingPlatformThreads(made);
        try (Socks5Server server = Socks5Server.builder().threadFactory(platform).build().start()) {
            assertEquals(100, echoThrough(server, 100));
        }
        assertTrue(made.size() >= 1, "threads from the factory: " + made);
        for (Thread thread : made) {
            assertTrue(!VirtualThreads.isVirtual(thread), thread + " is a platform thread");
        }
    }

    @Test
    void everySessionTaskRunsThroughTheTaskDecoratorOnItsOwnThread() throws Exception {
        ThreadLocal<Boolean> marked = new ThreadLocal<>();
        AtomicInteger decorated = new AtomicInteger();
        UnaryOperator<Runnable> mark = task -> {
            decorated.incrementAndGet();
            return () -> {
                marked.set(true);
                try {
                    task.run();
                } finally {
                    marked.remove();
                }
            };
        };
        List<Boolean> dialerSawTheMark = new CopyOnWriteArrayList<>();
        Dialer direct = Dialer.direct();
        Dialer observing = (request, timeoutMillis) -> {
            dialerSawTheMark.add(Boolean.TRUE.equals(marked.get()));
            return direct.dial(request, timeoutMillis);
        };
        try (Socks5Server server = Socks5Server.builder().extensions(Extensions.NONE.withTaskDecorator(mark)).dialer(observing).build().start()) {
            assertEquals(100, echoThrough(server, 100));
        }
        assertEquals(List.of(true), dialerSawTheMark, "the dial ran inside the decorated session task");
        // Also decorated: the thread that enforces handshake deadlines (started with the first session; it
        // closes clients' sockets, so the agent must see it as the proxy's own like the others).
        assertEquals(3, decorated.get(), "the session's task, its second relay half and the handshake deadlines");
    }

    /**
     * The handshake deadlines' thread runs only while handshakes do: an app whose connections are all
     * relaying or idle (a connection pool) must not keep a thread waking a few times a second.
     */
    @Test
    void noThreadWatchesHandshakesWhileTheOnlySessionRelays() throws Exception {
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory platform = recordingPlatformThreads(made);
        try (Socks5Server server = Socks5Server.builder().threadFactory(platform).build().start();
                ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread echoThread = new Thread(() -> echoOne(echo), "echo-" + echo.getLocalPort());
            echoThread.start();
            try (Socket client = new Socket(new Proxy(Proxy.Type.SOCKS, server.address()))) {
                client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()), 10_000);
                Await.until("the handshake deadlines' thread ended (the one session is relaying)",
                        Duration.ofSeconds(10), () -> watching(made).isEmpty(), () -> watching(made).toString());
                client.getOutputStream().write(new byte[10]); // and the relay still works
                client.shutdownOutput();
                assertEquals(10, client.getInputStream().readAllBytes().length);
            } finally {
                echoThread.join(10_000);
            }
        }
    }

    /** The threads among {@code threads} now running the handshake deadlines' loop. */
    private static List<Thread> watching(List<Thread> threads) {
        return threads.stream().filter(thread -> Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(HandshakeDeadlines.class.getName()))).toList();
    }

    /** One CONNECT through {@code server} (the JDK's SOCKS client) to a one-shot echo; returns the bytes echoed. */
    private static int echoThrough(Socks5Server server, int count) throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread echoThread = new Thread(() -> echoOne(echo), "echo-" + echo.getLocalPort());
            echoThread.start();
            try (Socket client = new Socket(new Proxy(Proxy.Type.SOCKS, server.address()))) {
                client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()), 10_000);
                client.getOutputStream().write(new byte[count]);
                client.shutdownOutput();
                return client.getInputStream().readAllBytes().length;
            } finally {
                echoThread.join(10_000);
            }
        }
    }

    private static void echoOne(ServerSocket echo) {
        try (Socket s = echo.accept(); InputStream in = s.getInputStream()) {
            in.transferTo(s.getOutputStream());
        } catch (IOException e) {
            // the test fails on its own assertion if the echo did not happen
        }
    }

    /** Platform threads, each kept in {@code made} as it is made. */
    private static ThreadFactory recordingPlatformThreads(List<Thread> made) {
        return task -> {
            Thread thread = new Thread(task, "test-session-" + made.size());
            thread.setDaemon(true);
            made.add(thread);
            return thread;
        };
    }
}
