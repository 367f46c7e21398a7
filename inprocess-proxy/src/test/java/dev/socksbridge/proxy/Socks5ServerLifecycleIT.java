package dev.socksbridge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.capture.VirtualThreads;
import dev.socksbridge.proxy.it.support.Await;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which threads serve a session, and that close() leaves neither a thread nor a socket behind. */
@Timeout(120)
class Socks5ServerLifecycleIT {

    private static final int SESSIONS = 20;

    /** Records the threads sessions run on and every close event. */
    private static final class Recorder implements ConnectionListener {
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final BlockingQueue<ConnectionEvent> opened = new LinkedBlockingQueue<>();
        final BlockingQueue<ConnectionEvent> closed = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(ConnectionEvent event) {
            threads.add(Thread.currentThread());
            opened.add(event);
        }

        @Override
        public void onClose(ConnectionEvent event) {
            threads.add(Thread.currentThread());
            closed.add(event);
        }
    }

    @Test
    void relayThreadsAreVirtualOn21AndLaterAndPlatformOn17() throws Exception {
        Recorder recorder = new Recorder();
        try (ServerSocket target = loopbackServer();
             Socks5Server server = Socks5Server.builder().listener(recorder).build().start();
             Socket client = viaProxy(server, target)) {
            try (Socket accepted = target.accept()) {
                client.shutdownOutput();
                accepted.getOutputStream().write(1);
                accepted.shutdownOutput();
                assertEquals(1, client.getInputStream().read());
                assertEquals(-1, client.getInputStream().read());
                assertEquals(-1, accepted.getInputStream().read());
            }
            assertNotNull(recorder.closed.poll(30, TimeUnit.SECONDS), "no close event");
        }
        boolean expectVirtual = Runtime.version().feature() >= 21;
        assertFalse(recorder.threads.isEmpty());
        for (Thread thread : recorder.threads) {
            assertEquals(expectVirtual, VirtualThreads.isVirtual(thread), thread + " on JDK " + Runtime.version());
            assertTrue(thread.getName().startsWith("socksbridge-relay-"), thread.getName());
            assertTrue(thread.isDaemon(), thread.getName());
        }
    }

    @Test
    void closeEndsEverySessionAndLeavesNoThreadAndNoSocket() throws Exception {
        long socketsBefore = openSockets();
        Recorder recorder = new Recorder();
        List<Socket> clients = new ArrayList<>();
        List<Socket> accepted = new ArrayList<>();
        Thread acceptThread;
        try (ServerSocket target = loopbackServer()) {
            Socks5Server server = Socks5Server.builder().listener(recorder).build().start();
            acceptThread = findThread("socksbridge-accept-" + server.address().getPort());
            for (int i = 0; i < SESSIONS; i++) {
                clients.add(viaProxy(server, target));
                accepted.add(target.accept());
            }
            // and some clients still in their handshake (connected, silent)
            for (int i = 0; i < 5; i++) {
                clients.add(new Socket(server.address().getAddress(), server.address().getPort()));
            }
            for (int i = 0; i < SESSIONS; i++) {
                assertNotNull(recorder.opened.poll(30, TimeUnit.SECONDS), "session " + i + " did not open");
            }
            awaitActiveSessions(server, SESSIONS + 5); // the silent ones are accepted, not just queued
            server.close();

            assertEquals(0, server.activeSessions());
            assertEquals(SESSIONS + 5, recorder.closed.size(), "one close event per session, before close() returns");
            for (Thread thread : recorder.threads) {
                assertFalse(thread.isAlive(), thread + " still alive after close()");
            }
            assertNotNull(acceptThread);
            assertFalse(acceptThread.isAlive(), "accept thread still alive after close()");
            for (Socket client : clients) {
                client.setSoTimeout(10_000);
                assertEquals(-1, readOrEof(client.getInputStream()), "client sees the end of its session");
            }
            for (Socket socket : accepted) {
                socket.setSoTimeout(10_000);
                assertEquals(-1, readOrEof(socket.getInputStream()), "target sees the end of its session");
            }
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            for (Socket s : accepted) {
                s.close();
            }
        }
        assertEquals(socketsBefore, openSockets(), "open sockets after close()");
    }

    private static void awaitActiveSessions(Socks5Server server, int expected) {
        // Nothing signals "accepted": poll it, bounded in time and checks (a spin would starve the server's threads).
        Await.until("activeSessions is " + expected, Duration.ofSeconds(30),
                () -> server.activeSessions() == expected, () -> "(it stayed " + server.activeSessions() + ")");
    }

    @Test
    void closeCalledFromAListenerDoesNotWaitForItself() throws Exception {
        BlockingQueue<Long> closeTook = new LinkedBlockingQueue<>();
        Socks5Server[] self = new Socks5Server[1];
        ConnectionListener closer = new ConnectionListener() {
            @Override
            public void onOpen(ConnectionEvent event) {
                long start = System.nanoTime();
                self[0].close();
                closeTook.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
        };
        try (ServerSocket target = loopbackServer()) {
            self[0] = Socks5Server.builder().listener(closer).build().start();
            try (Socket client = new Socket(new Proxy(Proxy.Type.SOCKS, self[0].address()))) {
                // the session is closed by its own listener, before any reply
                assertThrows(IOException.class, () -> client.connect(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), target.getLocalPort()), 10_000));
            }
            Long took = closeTook.poll(30, TimeUnit.SECONDS);
            assertNotNull(took, "the listener's close() never returned");
            assertTrue(took < 5_000, "close() from a listener took " + took + " ms");
            self[0].close(); // from outside now: waits for that last session thread
            assertEquals(0, self[0].activeSessions());
        }
    }

    private static int readOrEof(InputStream in) {
        try {
            return in.read();
        } catch (IOException reset) {
            return -1; // a reset is as much an end as a FIN
        }
    }

    private static ServerSocket loopbackServer() throws IOException {
        return new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
    }

    private static Socket viaProxy(Socks5Server server, ServerSocket target) throws IOException {
        Socket client = new Socket(new Proxy(Proxy.Type.SOCKS, server.address()));
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target.getLocalPort()), 10_000);
        return client;
    }

    private static Thread findThread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElse(null);
    }

    /**
     * Socket descriptors of this process. Only sockets: JDK 21+ opens its virtual-thread I/O pollers
     * (epoll descriptors) lazily and keeps them for the life of the JVM.
     */
    private static long openSockets() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        Assumptions.assumeTrue(Files.isDirectory(fds), "needs /proc to count sockets");
        try (Stream<Path> list = Files.list(fds)) {
            return list.filter(Socks5ServerLifecycleIT::isSocket).count();
        }
    }

    private static boolean isSocket(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString().startsWith("socket:");
        } catch (IOException gone) {
            return false; // closed while listing, e.g. the listing's own descriptor
        }
    }
}
