package dev.socksbridge.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Connection churn: {@code host port count seconds} opens and closes up to {@code count} NIO channels to
 * one server, alternating a blocking connect and a non-blocking one finished after the Selector's
 * {@code OP_CONNECT}, and stops early after {@code seconds}. Prints
 * {@code PROBE churn connects=N failures=F elapsed_ms=T first_failure=...}: every failure is one the app
 * saw, which it would not have without the agent. {@code async host port count seconds} does the same with
 * {@code AsynchronousSocketChannel}s, alternating a future and a completion handler; port 0 starts a server
 * in this JVM that accepts and closes each connection. {@code limit host port}:
 * see {@link #overTheLimit}; {@code limit-async host port}: {@link #asyncOverTheLimit}.
 */
public final class ChurnProbeApp {

    private static final long SELECT_MILLIS = 10_000;

    private ChurnProbeApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("limit")) {
            overTheLimit(new InetSocketAddress(args[1], Integer.parseInt(args[2])));
            return;
        }
        if (args[0].equals("limit-async")) {
            asyncOverTheLimit(new InetSocketAddress(args[1], Integer.parseInt(args[2])));
            return;
        }
        boolean async = args[0].equals("async");
        int at = async ? 1 : 0;
        InetSocketAddress target = new InetSocketAddress(args[at], Integer.parseInt(args[at + 1]));
        if (target.getPort() == 0) {
            target = acceptAndCloseServer(target.getAddress());
        }
        int count = Integer.parseInt(args[at + 2]);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(Long.parseLong(args[at + 3]));
        int connects = 0;
        int failures = 0;
        String firstFailure = "-";
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < count && System.nanoTime() - deadline < 0; i++) {
                connects++;
                try {
                    if (async) {
                        connectAsync(target, i % 2 == 0);
                    } else if (i % 2 == 0) {
                        connectBlocking(target);
                    } else {
                        connectNonBlocking(target, selector);
                    }
                } catch (IOException | RuntimeException | ExecutionException | TimeoutException e) {
                    if (failures++ == 0) {
                        firstFailure = e.toString().replace(' ', '_');
                    }
                }
            }
        }
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("PROBE churn connects=" + connects + " failures=" + failures + " elapsed_ms=" + elapsed
                + " first_failure=" + firstFailure);
        System.out.println("PROBE done");
    }

    /**
     * A server in this JVM that accepts and closes each connection (for a probe run in a network namespace
     * of its own, where the test's servers are not): the agent does not hook accepting.
     */
    private static InetSocketAddress acceptAndCloseServer(InetAddress address) throws IOException {
        ServerSocket server = new ServerSocket(0, 1024, address);
        Thread acceptor = new Thread(() -> {
            while (true) {
                try (Socket accepted = server.accept()) {
                    accepted.getLocalPort(); // accepted; closing it is all this server does
                } catch (IOException e) {
                    return;
                }
            }
        }, "churn-server");
        acceptor.setDaemon(true);
        acceptor.start();
        return new InetSocketAddress(address, server.getLocalPort());
    }

    /** One {@code AsynchronousSocketChannel} connect and close, completed through a future or a handler. */
    private static void connectAsync(InetSocketAddress target, boolean future)
            throws IOException, ExecutionException, InterruptedException, TimeoutException {
        try (AsynchronousSocketChannel channel = AsynchronousSocketChannel.open()) {
            if (future) {
                channel.connect(target).get(SELECT_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                CompletableFuture<Void> done = new CompletableFuture<>();
                channel.connect(target, null, completing(done));
                done.get(SELECT_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    private static CompletionHandler<Void, Object> completing(CompletableFuture<Void> done) {
        return new CompletionHandler<>() {
            @Override
            public void completed(Void result, Object attachment) {
                done.complete(null);
            }

            @Override
            public void failed(Throwable failure, Object attachment) {
                done.completeExceptionally(failure);
            }
        };
    }

    /**
     * {@code limit-async host port}: like {@link #overTheLimit}, with the second connection an
     * {@code AsynchronousSocketChannel}, once completed through a future ({@code future=}) and once through
     * a handler ({@code handler=}); each prints {@code ok} or the failure's type and message.
     */
    private static void asyncOverTheLimit(InetSocketAddress target) throws Exception {
        try (SocketChannel held = SocketChannel.open(target)) {
            String viaFuture;
            try (AsynchronousSocketChannel second = AsynchronousSocketChannel.open()) {
                second.connect(target).get(SELECT_MILLIS, TimeUnit.MILLISECONDS);
                viaFuture = "ok";
            } catch (ExecutionException e) {
                viaFuture = e.getCause().getClass().getName() + ":" + e.getCause().getMessage();
            }
            String viaHandler;
            try (AsynchronousSocketChannel second = AsynchronousSocketChannel.open()) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                second.connect(target, null, completing(done));
                done.get(SELECT_MILLIS, TimeUnit.MILLISECONDS);
                viaHandler = "ok";
            } catch (ExecutionException e) {
                viaHandler = e.getCause().getClass().getName() + ":" + e.getCause().getMessage();
            }
            System.out.println("PROBE limit-async future=" + viaFuture.replace(' ', '_'));
            System.out.println("PROBE limit-async-handler result=" + viaHandler.replace(' ', '_')
                    + " held_open=" + held.isConnected());
        }
        System.out.println("PROBE done");
    }

    /**
     * {@code limit host port}: holds one channel open (one proxy session, the agent's {@code max-sessions=1})
     * and connects a second; prints {@code PROBE limit second=ok echoed=N} or {@code second_failure=...}.
     */
    private static void overTheLimit(InetSocketAddress target) throws IOException {
        try (SocketChannel held = SocketChannel.open(target)) {
            try (SocketChannel second = SocketChannel.open()) {
                second.connect(target);
                second.write(ByteBuffer.wrap(new byte[] {42}));
                ByteBuffer echoed = ByteBuffer.allocate(1);
                int read = second.read(echoed);
                System.out.println("PROBE limit second=ok echoed=" + read + " held_open=" + held.isConnected());
            } catch (IOException e) {
                System.out.println("PROBE limit second_failure=" + e.getClass().getName() + " message=" + e.getMessage());
            }
        }
        System.out.println("PROBE done");
    }

    private static void connectBlocking(InetSocketAddress target) throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            channel.connect(target);
        }
    }

    private static void connectNonBlocking(InetSocketAddress target, Selector selector) throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            channel.configureBlocking(false);
            if (!channel.connect(target)) {
                SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
                if (selector.select(SELECT_MILLIS) == 0) {
                    throw new IOException("connect not finished within " + SELECT_MILLIS + " ms");
                }
                selector.selectedKeys().clear();
                if (!channel.finishConnect()) {
                    throw new IOException("finishConnect returned false after OP_CONNECT");
                }
                key.cancel();
            }
        }
    }
}
