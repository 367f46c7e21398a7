package dev.socksbridge.proxy.it.support;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain TCP target for the proxy to connect to: binds a loopback address on port 0 and runs a
 * {@link Handler} for each accepted connection on its own thread. Closing it closes every connection.
 */
public final class LoopbackServer implements Closeable {

    /** What the target does with one accepted connection; the socket is closed when it returns. */
    @FunctionalInterface
    public interface Handler {
        void handle(Socket socket) throws Exception;
    }

    private final ServerSocket serverSocket;
    private final Handler handler;
    private final String name;
    private final Thread acceptThread;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    private LoopbackServer(ServerSocket serverSocket, String name, Handler handler) {
        this.serverSocket = serverSocket;
        this.name = name;
        this.handler = handler;
        this.acceptThread = new Thread(this::acceptLoop, "test-target-" + name + "-accept");
        acceptThread.setDaemon(true);
    }

    /** An echo server on 127.0.0.1. */
    public static LoopbackServer echo() throws IOException {
        return start(InetAddress.getLoopbackAddress(), "echo", Targets::echo);
    }

    public static LoopbackServer start(InetAddress bindAddress, String name, Handler handler) throws IOException {
        // A deep backlog so a burst of connects through the proxy is never dropped by the kernel.
        ServerSocket serverSocket = new ServerSocket(0, 2048, bindAddress);
        LoopbackServer server = new LoopbackServer(serverSocket, name, handler);
        server.acceptThread.start();
        return server;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** How many connections reached this target. */
    public int accepted() {
        return accepted.get();
    }

    /** Connections accepted and not yet closed by this target. */
    public int liveConnections() {
        return live.size();
    }

    /** Exceptions handlers threw while the server was open (I/O errors after close are expected). */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!closed) {
                    failures.add(e);
                }
                return;
            }
            accepted.incrementAndGet();
            live.add(socket);
            Thread thread = new Thread(() -> serve(socket), "test-target-" + name + "-" + socket.getPort());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(Limits.IO_MILLIS);
            handler.handle(socket);
        } catch (Exception e) {
            if (!closed) {
                failures.add(e);
            }
        } finally {
            live.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        serverSocket.close();
        for (Socket socket : live) {
            socket.close();
        }
        joinBounded(acceptThread);
        for (Thread thread : threads) {
            joinBounded(thread);
        }
    }

    private static void joinBounded(Thread thread) {
        try {
            thread.join(Limits.IO.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The handlers the tests use. */
    public static final class Targets {

        private Targets() {
        }

        /** Echoes every byte until EOF, then half-closes so the client sees the echo end. */
        public static void echo(Socket socket) throws IOException {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
            socket.shutdownOutput();
        }

        /** Reads to EOF, then answers with {@code reply} and closes: a target for half-close tests. */
        public static Handler drainThenReply(byte[] reply) {
            return socket -> {
                socket.getInputStream().transferTo(OutputStream.nullOutputStream());
                socket.getOutputStream().write(reply);
                socket.shutdownOutput();
            };
        }
    }
}
