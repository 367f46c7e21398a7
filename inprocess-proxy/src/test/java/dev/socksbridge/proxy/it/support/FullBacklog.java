package dev.socksbridge.proxy.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback address where connects hang: a listener that never accepts, with its accept queue filled.
 * Linux then drops further SYNs (it does not refuse them), so a connect times out, all on loopback.
 */
public final class FullBacklog implements Closeable {

    private static final int PROBE_TIMEOUT_MILLIS = 1000;
    private static final int MAX_PROBES = 20;

    private final ServerSocket listener;
    private final List<Socket> queued = new ArrayList<>();

    private FullBacklog(ServerSocket listener) {
        this.listener = listener;
    }

    /** Connects until one connect times out: from then on the queue is full. */
    public static FullBacklog open() throws IOException {
        FullBacklog backlog = new FullBacklog(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        try {
            for (int probe = 0; probe < MAX_PROBES; probe++) {
                Socket socket = new Socket();
                try {
                    socket.connect(backlog.address(), PROBE_TIMEOUT_MILLIS);
                    backlog.queued.add(socket);
                } catch (SocketTimeoutException e) {
                    socket.close();
                    return backlog; // the probe hung: the queue is full
                }
            }
            return fail("the accept queue of " + backlog.address() + " never filled after " + MAX_PROBES + " connects");
        } catch (IOException | RuntimeException | Error e) {
            backlog.close();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    @Override
    public void close() throws IOException {
        for (Socket socket : queued) {
            socket.close();
        }
        listener.close();
    }
}
