package dev.socksbridge.junit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.junit.AllowOutbound;
import dev.socksbridge.junit.RecordedConnection;
import dev.socksbridge.junit.RecordedConnections;
import dev.socksbridge.junit.Socksbridge;
import dev.socksbridge.proxy.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Test classes that {@link ExtensionIT} runs through the JUnit engine test kit and whose results it
 * checks; some fail on purpose. They are nested classes, so neither surefire nor failsafe runs them on
 * their own.
 */
final class Samples {

    /** Set by {@link ExtensionIT} before it runs a sample. */
    static volatile EchoServer echo;
    static volatile String httpUrl;
    /** What a sample saw, for {@link ExtensionIT} to check after the run. */
    static volatile ProxySelector selectorDuringTest;
    static volatile List<RecordedConnection> seen;

    private Samples() {
    }

    static int currentLine() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).orElseThrow().getLineNumber();
    }

    @Socksbridge(includeLoopback = true)
    @AllowOutbound("localhost:*")
    static class AllowedSample {
        @Test
        void callsLocalhost() {
            assertEquals("ping", Clients.echo(echo.address(), "ping"));
        }
    }

    @Socksbridge(includeLoopback = true)
    @AllowOutbound("api.example.com:443")
    static class UnexpectedSample {
        @Test
        void callsEcho() {
            assertEquals("ping", Clients.echo(echo.address(), "ping"));
        }
    }

    @Socksbridge(includeLoopback = true)
    @AllowOutbound("api.example.com:443")
    static class MethodAddsToClassSample {
        @Test
        @AllowOutbound("127.0.0.1")
        void allowedByTheMethod() {
            assertEquals("a", Clients.echo(echo.address(), "a"));
        }

        @Test
        void notAllowedWithoutIt() {
            assertEquals("b", Clients.echo(echo.address(), "b"));
        }

        /** Also registers the extension on the method: it runs once, with the method's attributes. */
        @Test
        @Socksbridge(includeLoopback = true, failOnUnexpected = false)
        void methodAttributesWin(RecordedConnections recorded) {
            assertEquals("c", Clients.echo(echo.address(), "c"));
            assertEquals(1, recorded.all().size());
        }
    }

    @Socksbridge(includeLoopback = true)
    @AllowOutbound("api.example.com:443")
    static class OuterSample {
        @Nested
        @AllowOutbound("localhost")
        class InnerSample {
            @Test
            void usesTheInnerAndOuterAllowLists(RecordedConnections recorded) {
                assertEquals("n", Clients.echo(echo.address(), "n"));
                recorded.assertExactlyOne("localhost");
            }
        }

        @Test
        void outerAloneDoesNotAllowLocalhost() {
            assertEquals("o", Clients.echo(echo.address(), "o"));
        }
    }

    @Socksbridge(includeLoopback = true)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ExecutorSample {
        static ExecutorService pool;

        @BeforeAll
        static void startPool() {
            // Created before any test: its thread owes nothing to the test that later uses it.
            pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "sample-pool"));
        }

        @AfterAll
        static void stopPool() throws InterruptedException {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }

        @Test
        @Order(1)
        void connectsOnAPoolThread() throws Exception {
            assertEquals("pool", pool.submit(() -> Clients.echo(echo.address(), "pool")).get(30, TimeUnit.SECONDS));
        }

        @Test
        @Order(2)
        void connectsNowhere(RecordedConnections recorded) throws Exception {
            pool.submit(() -> { }).get(30, TimeUnit.SECONDS);
            assertEquals(List.of(), recorded.all(), "the previous test's connection is not this test's");
        }
    }

    @Socksbridge(includeLoopback = true)
    static class VirtualThreadSample {
        @Test
        void connectsOnAVirtualThread() throws Exception {
            ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                    .invoke(null);
            try {
                assertEquals("v", virtual.submit(() -> Clients.echo(echo.address(), "v")).get(30, TimeUnit.SECONDS));
            } finally {
                virtual.shutdown();
            }
        }
    }

    @Socksbridge(includeLoopback = true)
    @AllowOutbound("localhost")
    static class ParameterSample {
        @Test
        void seesItsOwnConnection(RecordedConnections recorded) throws Exception {
            int line;
            try (Socket socket = new Socket()) {
                socket.setSoTimeout(Clients.TIMEOUT_MILLIS);
                line = currentLine() + 1;
                socket.connect(Clients.unresolvedLocalhost(echo.port()), Clients.TIMEOUT_MILLIS);
                socket.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
                socket.shutdownOutput();
                assertEquals("hello", new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            List<RecordedConnection> all = recorded.awaitClosed(Duration.ofSeconds(30));
            assertEquals(1, all.size(), all::toString);
            RecordedConnection c = recorded.assertExactlyOne("localhost:" + echo.port());
            assertEquals("localhost", c.destination().host());
            assertEquals(echo.port(), c.destination().port());
            assertEquals(echo.port(), c.reached().getPort());
            assertTrue(c.reached().getAddress().isLoopbackAddress(), c::toString);
            assertEquals(Outcome.OK, c.outcome());
            assertEquals(5, c.bytesUp());
            assertEquals(5, c.bytesDown());
            assertEquals(ParameterSample.class.getName(), c.caller().className());
            assertEquals("seesItsOwnConnection", c.caller().methodName());
            assertEquals("Samples.java", c.caller().fileName());
            assertEquals(line, c.caller().line());
            assertEquals(Thread.currentThread().getName(), c.threadName());
            assertEquals(recorded, RecordedConnections.current());
            recorded.assertNone("127.0.0.2").assertNoneExcept("localhost:*");
        }
    }

    @Socksbridge(includeLoopback = true)
    @AllowOutbound("localhost")
    static class HttpSample {
        @Test
        void callsAnHttpServerByName() throws IOException {
            HttpURLConnection http = (HttpURLConnection) URI.create(httpUrl).toURL().openConnection();
            http.setConnectTimeout(Clients.TIMEOUT_MILLIS);
            http.setReadTimeout(Clients.TIMEOUT_MILLIS);
            int line = currentLine() + 1;
            try (InputStream body = http.getInputStream()) {
                assertEquals("hi", new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            RecordedConnection c = RecordedConnections.current().assertExactlyOne("localhost");
            assertEquals("localhost", c.destination().host(), c::toString);
            assertEquals("callsAnHttpServerByName", c.caller().methodName(), c::toString);
            assertEquals(line, c.caller().line(), c::toString);
        }
    }

    /** No loopback: the JVM's own connections to local servers stay direct and unrecorded. */
    @Socksbridge
    static class LoopbackExcludedSample {
        @Test
        void callsEchoDirectly(RecordedConnections recorded) {
            assertEquals("x", Clients.echo(echo.address(), "x"));
            assertEquals(List.of(), recorded.all());
        }
    }

    /**
     * Run with parallel execution: both tests are running at once (a barrier holds each until the other
     * got there), each connects on its own thread, and one of them also connects on a background thread.
     */
    @Socksbridge(includeLoopback = true, failOnUnexpected = false)
    static class ParallelSample {
        static final CyclicBarrier BOTH_RUNNING = new CyclicBarrier(2);
        static final CyclicBarrier BOTH_CONNECTED = new CyclicBarrier(2);
        static ExecutorService background;

        @BeforeAll
        static void startBackground() {
            background = Executors.newSingleThreadExecutor(r -> new Thread(r, "background"));
        }

        @AfterAll
        static void stopBackground() throws InterruptedException {
            background.shutdownNow();
            background.awaitTermination(10, TimeUnit.SECONDS);
        }

        @Test
        void first(RecordedConnections recorded) throws Exception {
            BOTH_RUNNING.await(30, TimeUnit.SECONDS);
            assertEquals("1", Clients.echo(echo.address(), "1"));
            assertEquals("bg", background.submit(() -> Clients.echo(echo.address(), "bg")).get(30, TimeUnit.SECONDS));
            BOTH_CONNECTED.await(30, TimeUnit.SECONDS);
            assertOwnAndBackground(recorded);
        }

        @Test
        void second(RecordedConnections recorded) throws Exception {
            BOTH_RUNNING.await(30, TimeUnit.SECONDS);
            assertEquals("2", Clients.echo(echo.address(), "2"));
            BOTH_CONNECTED.await(30, TimeUnit.SECONDS);
            assertOwnAndBackground(recorded);
        }

        /** The test's own-thread connection only, plus the background one that every running test gets. */
        private static void assertOwnAndBackground(RecordedConnections recorded) throws InterruptedException {
            List<RecordedConnection> all = recorded.awaitClosed(Duration.ofSeconds(30));
            assertEquals(2, all.size(), all::toString);
            assertEquals(1, all.stream().filter(c -> Thread.currentThread().getName().equals(c.threadName())).count(),
                    all::toString);
            assertEquals(1, all.stream().filter(c -> "background".equals(c.threadName())).count(), all::toString);
        }
    }

    @Socksbridge(includeLoopback = true, failOnUnexpected = false)
    static class RecordOnlySample {
        @Test
        void recordsWithoutFailing() throws InterruptedException {
            selectorDuringTest = ProxySelector.getDefault();
            assertEquals("r", Clients.echo(echo.address(), "r"));
            seen = RecordedConnections.current().awaitClosed(Duration.ofSeconds(30));
        }
    }

    @Socksbridge(includeLoopback = true)
    @AllowOutbound("localhost:http")
    static class MalformedAllowSample {
        @Test
        void neverRuns() {
            assertNull(null);
        }
    }

    /** Only the method is annotated: the extension starts and stops around that one test. */
    static class MethodLevelSample {
        @Test
        @Socksbridge(includeLoopback = true)
        void annotatedMethod() {
            selectorDuringTest = ProxySelector.getDefault();
            assertEquals("m", Clients.echo(echo.address(), "m"));
        }

        @Test
        void plainMethod() {
            assertNotSame(null, echo);
            assertEquals("p", Clients.echo(echo.address(), "p"));
        }
    }
}
