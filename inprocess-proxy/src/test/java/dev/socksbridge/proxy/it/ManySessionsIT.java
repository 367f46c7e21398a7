package dev.socksbridge.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.Socks5Server;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

    @Test
    void thousandConcurrentSessionsEchoThenCloseLeavesNoThreadOrSocket() throws Exception {
        Assumptions.assumeTrue(OpenSockets.supported(), "counting sockets needs /proc/self/fd (Linux)");
        int socketsBefore = OpenSockets.count();
        List<RawSocksClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
        try (LoopbackServer echo = LoopbackServer.echo()) {
            Socks5Server server = Socks5Server.builder().listener(events).build().start();
            try {
                clients.addAll(inParallel(pool, SESSIONS, i -> RawSocksClient.relayTo(server.address(), echo.address())));
                assertEquals(SESSIONS, server.activeSessions(), "all sessions live at once");
                // Proof the two checks below can fail: while relaying, both find what the server holds.
                assertTrue(ServerThreads.alive(SERVER_THREAD_PREFIX).size() > SESSIONS, "server threads found");
                assertTrue(OpenSockets.count() >= 4 * SESSIONS, "client, proxy x2 and echo sockets counted");
                inParallel(pool, SESSIONS, i -> {
                    clients.get(i).assertEchoes(String.format("session %04d", i));
                    return null;
                });
            } finally {
                server.close();
            }
            assertEquals(List.of(), ServerThreads.alive(SERVER_THREAD_PREFIX), "server threads alive after close()");
            assertEquals(List.of(), events.sessionThreads().stream().filter(Thread::isAlive).toList(),
                    "session threads alive after close()");
            // The clients' sockets and the echo's listening socket are the test's; the server's must be gone.
            int expected = socketsBefore + SESSIONS + 1;
            Await.until("the server's sockets are closed", Limits.IO, () -> OpenSockets.count() <= expected,
                    () -> "open sockets " + OpenSockets.count() + ", expected at most " + expected
                            + "; " + OpenSockets.describe(20));
            inParallel(pool, SESSIONS, i -> {
                clients.get(i).assertClosedByServer();
                return null;
            });
        } finally {
            pool.shutdownNow();
            for (RawSocksClient client : clients) {
                client.close();
            }
        }
        Await.until("every socket is closed", Limits.IO, () -> OpenSockets.count() <= socketsBefore,
                () -> "open sockets " + OpenSockets.count() + ", before the test " + socketsBefore
                        + "; " + OpenSockets.describe(20));
        assertEquals(SESSIONS, events.closeCount(), "one close event per session");
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
                assertTrue(ServerThreads.isVirtual(sessionThread), "JDK " + Runtime.version().feature()
                        + " has virtual threads; session ran on " + sessionThread);
            } else {
                assertFalse(ServerThreads.isVirtual(sessionThread), "platform-thread fallback on JDK 17-20");
            }
        }
    }

    private interface Task<T> {
        T run(int index) throws Exception;
    }

    /** Runs {@code count} tasks on the pool and returns their results in index order. */
    private static <T> List<T> inParallel(ExecutorService pool, int count, Task<T> task) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
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
