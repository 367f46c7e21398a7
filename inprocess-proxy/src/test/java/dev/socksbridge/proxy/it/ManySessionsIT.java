package dev.socksbridge.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.capture.VirtualThreads;
import dev.socksbridge.proxy.it.support.Await;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.Limits;
import dev.socksbridge.proxy.it.support.LoopbackServer;
import dev.socksbridge.proxy.it.support.OpenSockets;
import dev.socksbridge.proxy.it.support.RawSocksClient;
import dev.socksbridge.proxy.it.support.ServerThreads;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A thousand live relays through one server, then close(): nothing of the server may remain. */
@Timeout(180)
class ManySessionsIT {

    /** Every thread the server starts has a name beginning with this. */
    static final String SERVER_THREAD_PREFIX = "socksbridge";

    private static final int SESSIONS = 1000;
    private static final int CLIENT_THREADS = 16;

    private final EventRecorder events = new EventRecorder();
    private final ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void thousandConcurrentSessionsEchoThenCloseLeavesNoThreadOrSocket() throws Exception {
        Assumptions.assumeTrue(OpenSockets.supported(), "counting sockets needs /proc/self/fd (Linux)");
        int socketsBefore = OpenSockets.count();
        List<RawSocksClient> clients = new CopyOnWriteArrayList<>();
        try (LoopbackServer echo = LoopbackServer.echo()) {
            Socks5Server server = Socks5Server.builder().listener(events).build().start();
            try {
                clients.addAll(inParallel(i -> RawSocksClient.relayTo(server.address(), echo.address())));
                forEachInParallel(i -> clients.get(i).assertEchoes(String.format("session %04d", i)));
                // After the echoes, so the echo target has accepted every connection (not just the kernel).
                assertAllLiveAtOnce(server);
            } finally {
                server.close();
            }
            assertServerLeftNoThread();
            // The clients' sockets and the echo's listening socket are the test's; the server's must be gone.
            awaitEchoConnectionsClosed(echo);
            assertSocketsAtMost(socketsBefore + SESSIONS + 1, "the server's sockets after close()");
            forEachInParallel(i -> clients.get(i).assertClosedByServer());
        } finally {
            for (RawSocksClient client : clients) {
                client.close();
            }
        }
        assertSocketsAtMost(socketsBefore, "sockets after the test closed its clients and echo server");
        assertEquals(SESSIONS, events.closeCount(), "one close event per session");
    }

    @Test
    void sessionsThatEndLeaveNoSocketOpenWhileTheServerRuns() throws Exception {
        Assumptions.assumeTrue(OpenSockets.supported(), "counting sockets needs /proc/self/fd (Linux)");
        int socketsBefore = OpenSockets.count();
        try (LoopbackServer echo = LoopbackServer.echo();
             Socks5Server server = Socks5Server.builder().listener(events).build().start()) {
            for (int i = 0; i < 50; i++) {
                try (RawSocksClient client = RawSocksClient.relayTo(server.address(), echo.address())) {
                    client.assertEchoes("short session " + i);
                }
            }
            Await.until("all 50 sessions ended", Limits.IO, () -> events.closeCount() == 50,
                    () -> "close events " + events.closeCount());
            awaitEchoConnectionsClosed(echo);
            // Left open: the server's and the echo's listening sockets, nothing of the 50 sessions.
            assertSocketsAtMost(socketsBefore + 2, "sockets after 50 sessions ended");
        }
    }

    private void assertAllLiveAtOnce(Socks5Server server) {
        assertEquals(SESSIONS, server.activeSessions(), "all sessions live at once");
        // Proof the checks after close() can fail: while relaying, they find what the server holds.
        assertTrue(ServerThreads.alive(SERVER_THREAD_PREFIX).size() > SESSIONS, "server threads found");
        assertTrue(OpenSockets.count() >= 4 * SESSIONS, "client, proxy x2 and echo sockets counted");
    }

    /** close() returns when all threads are gone: checked at once, no waiting. */
    private void assertServerLeftNoThread() {
        assertEquals(List.of(), ServerThreads.alive(SERVER_THREAD_PREFIX), "server threads alive after close()");
        assertEquals(List.of(), events.sessionThreads().stream().filter(Thread::isAlive).toList(),
                "threads that ran listeners, alive after close()");
    }

    /**
     * The echo closes its end after the proxy's close reaches it; the server closes its own sockets
     * before it reports a session closed or returns from close(). So after this wait the count is
     * checked at once: a long wait would let a GC run the JDK's Cleaner, which closes sockets that
     * became unreachable and so would hide a leak.
     */
    private static void awaitEchoConnectionsClosed(LoopbackServer echo) {
        Await.until("the echo target closed its connections", Limits.IO, () -> echo.liveConnections() == 0,
                () -> "still open: " + echo.liveConnections());
    }

    private static void assertSocketsAtMost(int expected, String what) {
        int open = OpenSockets.count();
        assertTrue(open <= expected, () -> what + ": " + open + " open, expected at most " + expected
                + "; " + OpenSockets.describe(20));
    }

    @Test
    void sessionsRunOnVirtualThreadsWhereTheJvmHasThem() throws Exception {
        try (LoopbackServer echo = LoopbackServer.echo();
             Socks5Server server = Socks5Server.builder().listener(events).build().start();
             RawSocksClient client = RawSocksClient.relayTo(server.address(), echo.address())) {
            client.assertEchoes("which thread?");
            events.nextOpen();
            Thread sessionThread = events.sessionThreads().iterator().next();
            if (ServerThreads.virtualThreadsAvailable()) {
                assertTrue(VirtualThreads.isVirtual(sessionThread), "JDK " + Runtime.version().feature()
                        + " has virtual threads; session ran on " + sessionThread);
            } else {
                assertFalse(VirtualThreads.isVirtual(sessionThread), "platform-thread fallback on JDK 17-20");
            }
        }
    }

    private interface Task<T> {
        T run(int index) throws Exception;
    }

    private interface Action {
        void run(int index) throws Exception;
    }

    private void forEachInParallel(Action action) throws Exception {
        inParallel(i -> {
            action.run(i);
            return null;
        });
    }

    /** Runs the task for indexes 0..SESSIONS-1 on the pool; returns the results in index order. */
    private <T> List<T> inParallel(Task<T> task) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            int index = i;
            Callable<T> call = () -> task.run(index);
            futures.add(pool.submit(call));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(Limits.IO.toMillis() * 2, TimeUnit.MILLISECONDS));
        }
        return results;
    }
}
