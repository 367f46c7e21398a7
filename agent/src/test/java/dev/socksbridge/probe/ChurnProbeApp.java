package dev.socksbridge.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * Connection churn: {@code host port count seconds} opens and closes up to {@code count} NIO channels to
 * one server, alternating a blocking connect and a non-blocking one finished after the Selector's
 * {@code OP_CONNECT}, and stops early after {@code seconds}. Prints
 * {@code PROBE churn connects=N failures=F elapsed_ms=T first_failure=...}: every failure is one the app
 * saw, which it would not have without the agent. {@code limit host port}: see {@link #overTheLimit}.
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
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        int connects = 0;
        int failures = 0;
        String firstFailure = "-";
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < count && System.nanoTime() - deadline < 0; i++) {
                connects++;
                try {
                    if (i % 2 == 0) {
                        connectBlocking(target);
                    } else {
                        connectNonBlocking(target, selector);
                    }
                } catch (IOException | RuntimeException e) {
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
