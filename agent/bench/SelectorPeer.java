import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A benchmark peer, not product code: the smallest SOCKS5 server one selector thread can be (no
 * authentication, CONNECT to IPv4 addresses only, no timeouts, no events, no limits). socket-peers.sh runs
 * it beside socksbridge's proxy (blocking sockets, virtual threads) to show what an event loop, which
 * wakes once per message instead of handing each one between threads, costs per connection on the same
 * machine. Usage: SelectorPeer PORT
 */
public final class SelectorPeer {

    /** One read at a time is relayed, so all connections share one buffer; leftovers get their own. */
    private static final ByteBuffer SHARED = ByteBuffer.allocateDirect(64 * 1024);
    private static final byte[] NO_AUTH = {5, 0};
    private static final byte[] SUCCEEDED = {5, 0, 0, 1, 0, 0, 0, 0, 0, 0};

    private enum State { GREETING, REQUEST, CONNECTING, RELAY }

    /** A client, its target once requested, and the bytes one side could not take yet. */
    private static final class Session {
        final SocketChannel client;
        final SelectionKey clientKey;
        final ByteBuffer handshake = ByteBuffer.allocate(512);
        State state = State.GREETING;
        SocketChannel target;
        SelectionKey targetKey;
        ByteBuffer toTarget;
        ByteBuffer toClient;
        boolean clientDone;
        boolean targetDone;

        Session(SocketChannel client, Selector selector) throws IOException {
            this.client = client;
            this.clientKey = client.register(selector, SelectionKey.OP_READ, this);
        }

        void close() {
            closeQuietly(client);
            if (target != null) {
                closeQuietly(target);
            }
        }
    }

    public static void main(String[] args) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 1024);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        while (true) {
            selector.select(key -> {
                try {
                    if (key.isAcceptable()) {
                        accept(server, selector);
                    } else {
                        ready(key, selector);
                    }
                } catch (IOException | CancelledKeyException e) {
                    if (key.attachment() instanceof Session session) {
                        session.close();
                    }
                }
            });
        }
    }

    private static void accept(ServerSocketChannel server, Selector selector) throws IOException {
        for (SocketChannel client = server.accept(); client != null; client = server.accept()) {
            client.configureBlocking(false);
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            handshake(new Session(client, selector), selector); // the greeting has often arrived already
        }
    }

    private static void ready(SelectionKey key, Selector selector) throws IOException {
        Session session = (Session) key.attachment();
        switch (session.state) {
            case GREETING, REQUEST -> handshake(session, selector);
            case CONNECTING -> {
                if (session.target.finishConnect()) {
                    established(session);
                }
            }
            case RELAY -> {
                boolean client = key == session.clientKey;
                if (key.isWritable()) {
                    flush(session, !client);
                }
                if (key.isValid() && key.isReadable()) {
                    relay(session, client);
                }
            }
        }
    }

    private static void handshake(Session session, Selector selector) throws IOException {
        if (session.client.read(session.handshake) < 0) {
            session.close();
            return;
        }
        ByteBuffer in = session.handshake.duplicate().flip();
        if (session.state == State.GREETING) {
            if (in.remaining() < 2 || in.remaining() < 2 + (in.get(1) & 0xff)) {
                return;
            }
            session.client.write(ByteBuffer.wrap(NO_AUTH));
            session.handshake.flip().position(2 + (in.get(1) & 0xff));
            session.handshake.compact();
            session.state = State.REQUEST;
            in = session.handshake.duplicate().flip();
        }
        if (session.state == State.REQUEST && in.remaining() >= 10) {
            byte[] ip = new byte[4];
            in.position(4).get(ip);
            connect(session, new InetSocketAddress(InetAddress.getByAddress(ip), in.getShort() & 0xffff), selector);
        }
    }

    private static void connect(Session session, InetSocketAddress destination, Selector selector)
            throws IOException {
        session.target = SocketChannel.open();
        session.target.configureBlocking(false);
        session.target.setOption(StandardSocketOptions.TCP_NODELAY, true);
        session.clientKey.interestOps(0);
        session.state = State.CONNECTING;
        // On loopback the connect is usually complete by the time connect() returns: check before waiting.
        boolean done = session.target.connect(destination) || session.target.finishConnect();
        session.targetKey = session.target.register(selector, done ? 0 : SelectionKey.OP_CONNECT, session);
        if (done) {
            established(session);
        }
    }

    private static void established(Session session) throws IOException {
        session.client.write(ByteBuffer.wrap(SUCCEEDED));
        session.state = State.RELAY;
        session.clientKey.interestOps(SelectionKey.OP_READ);
        session.targetKey.interestOps(SelectionKey.OP_READ);
    }

    /** One read from one side, written on to the other; what it cannot take waits for OP_WRITE. */
    private static void relay(Session session, boolean fromClient) throws IOException {
        SocketChannel from = fromClient ? session.client : session.target;
        SocketChannel to = fromClient ? session.target : session.client;
        SHARED.clear();
        if (from.read(SHARED) < 0) {
            endOfStream(session, fromClient, to);
            return;
        }
        to.write(SHARED.flip());
        if (SHARED.hasRemaining()) {
            ByteBuffer rest = ByteBuffer.allocate(SHARED.remaining()).put(SHARED).flip();
            if (fromClient) {
                session.toTarget = rest;
            } else {
                session.toClient = rest;
            }
            (fromClient ? session.clientKey : session.targetKey).interestOps(0);
            (fromClient ? session.targetKey : session.clientKey).interestOps(SelectionKey.OP_WRITE);
        }
    }

    /** Half-close: the other side's output is shut; the session ends when both sides have ended. */
    private static void endOfStream(Session session, boolean fromClient, SocketChannel to) throws IOException {
        if (fromClient) {
            session.clientDone = true;
        } else {
            session.targetDone = true;
        }
        (fromClient ? session.clientKey : session.targetKey).interestOps(0);
        if (session.clientDone && session.targetDone) {
            session.close();
        } else {
            to.shutdownOutput();
        }
    }

    private static void flush(Session session, boolean toTarget) throws IOException {
        ByteBuffer pending = toTarget ? session.toTarget : session.toClient;
        (toTarget ? session.target : session.client).write(pending);
        if (pending.hasRemaining()) {
            return;
        }
        if (toTarget) {
            session.toTarget = null;
        } else {
            session.toClient = null;
        }
        boolean destinationDone = toTarget ? session.targetDone : session.clientDone;
        (toTarget ? session.targetKey : session.clientKey).interestOps(destinationDone ? 0 : SelectionKey.OP_READ);
        (toTarget ? session.clientKey : session.targetKey).interestOps(SelectionKey.OP_READ); // the paused source
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // a benchmark peer: the connection is gone either way
        }
    }
}
