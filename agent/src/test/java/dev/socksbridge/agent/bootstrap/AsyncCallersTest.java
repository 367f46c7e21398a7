package dev.socksbridge.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The caller of {@code HttpClient.sendAsync} reaches the connect its worker makes. The advice's call is
 * made directly (no instrumentation in a unit test): the test's own frames are in the agent's package,
 * which the caller search skips, so the carried caller is the first frame outside it (JUnit's).
 */
class AsyncCallersTest {

    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> new Thread(task, "worker"));

    @AfterEach
    void stop() throws InterruptedException {
        Hooks.uninstall();
        worker.shutdownNow();
        assertTrue(worker.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void withoutTheAgentTheExecutorIsLeftAsItIs() {
        assertSame(worker, AsyncCallers.carryCaller(worker));
    }

    @Test
    void aTaskRunByTheWrappedExecutorTagsItsConnectsWithTheCallerThatHandedItOver() throws Exception {
        Hooks.install(new QuietObserver(), List.of());
        CallerTag here = Hooks.tag("", -1);
        assertNotNull(here.callerClass(), "the submitting stack has a caller");

        var carried = AsyncCallers.carryCaller(worker);
        assertNotSame(worker, carried);
        CompletableFuture<CallerTag> onWorker = new CompletableFuture<>();
        carried.execute(() -> onWorker.complete(Hooks.tag("example.com", 443)));
        CallerTag tag = onWorker.get(10, TimeUnit.SECONDS);

        assertEquals(here.callerClass(), tag.callerClass());
        assertEquals(here.callerMethod(), tag.callerMethod());
        assertEquals("worker", tag.threadName(), "the thread is still the one that connected");
        assertEquals("example.com", tag.host());
        assertNull(worker.submit(AsyncCallers::inherited).get(10, TimeUnit.SECONDS),
                "the worker's next, unrelated task carries nothing");
    }

    @Test
    void anObjectMadeHereHandsItsCallerAndAppFrameToTheConnectsItMakesOnAnotherThread() throws Exception {
        Hooks.install(new QuietObserver(), List.of());
        Hooks.appFrames(List.of("org.junit.jupiter.engine."), 0);
        try {
            Object plan = new Object();
            AsyncCallers.remember(plan);
            CallerTag here = Hooks.tag("", -1);
            assertNotNull(here.appCaller(), "the making stack has an app frame");

            CallerTag onWorker = worker.submit(() -> {
                Object previous = AsyncCallers.enter(plan);
                try {
                    return Hooks.tag("example.com", 443);
                } finally {
                    AsyncCallers.exit(previous);
                }
            }).get(10, TimeUnit.SECONDS);
            assertEquals(here.callerClass(), onWorker.callerClass(), "no caller on the worker: the maker's");
            assertEquals(here.appCaller(), onWorker.appCaller());
            assertEquals("worker", onWorker.threadName());
            assertNull(worker.submit(AsyncCallers::inherited).get(10, TimeUnit.SECONDS), "restored after the step");
            assertNull(worker.submit(() -> {
                Object previous = AsyncCallers.enter(new Object());
                try {
                    return Hooks.tag("example.com", 443).callerClass();
                } finally {
                    AsyncCallers.exit(previous);
                }
            }).get(10, TimeUnit.SECONDS), "an object nobody remembered hands nothing over");
        } finally {
            Hooks.appFrames(List.of(), 0);
        }
    }
}
