package dev.socksbridge.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;

/**
 * {@link Dialer#direct()}. A class rather than a lambda: every server has one, and an agent builds its
 * server before the app's main, where each lambda costs a class spun at run time (see docs/agent.md).
 */
final class DirectDialer implements Dialer {

    static final Dialer INSTANCE = new DirectDialer();

    private DirectDialer() {
    }

    @Override
    public Socket dial(ConnectionRequest request, int connectTimeoutMillis) throws IOException {
        Destination dst = request.destination();
        InetSocketAddress target = new InetSocketAddress(dst.host(), dst.port());
        if (target.isUnresolved()) {
            throw new java.net.UnknownHostException(dst.host());
        }
        Socket socket = new Socket(Proxy.NO_PROXY);
        try {
            socket.connect(target, connectTimeoutMillis); // the server sets TCP_NODELAY once connected
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
