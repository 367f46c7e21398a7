package dev.socksbridge.proxy;

import dev.socksbridge.proxy.protocol.ReplyCode;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BIND (RFC 1928 section 4, SOCKS4 CD 2): listens on an ephemeral port of the address the proxy uses
 * toward DST, answers that address, waits (up to {@code bindTimeout}) for a peer whose address matches
 * DST.ADDR (any peer when DST.ADDR is 0.0.0.0 or ::), answers the peer's address, then relays.
 *
 * <p>While the session thread waits in accept, the second thread already reads the client, so a client
 * that closes its control connection ends the wait (and closes the listening socket) at once; whatever
 * it sent early is kept and written to the peer first.
 */
final class BindCommand {

    private static final Logger LOG = LoggerFactory.getLogger(BindCommand.class);

    private final Session session;
    private final Replier replier;
    /** Counted down once the wait is over: {@link #peer} is then the peer, or null when there is none. */
    private final CountDownLatch decided = new CountDownLatch(1);
    private volatile Socket peer;
    private ServerSocket listener;

    BindCommand(Session session, Replier replier) {
        this.session = session;
        this.replier = replier;
    }

    /** Relays the peer-to-client pump on the session thread, or refuses (after the first reply, too). */
    CommandResult start(HandshakeInput in) throws IOException {
        Destination dst = session.request().destination();
        InetAddress expected;
        try {
            expected = expectedPeer(dst);
        } catch (UnknownHostException e) {
            return new CommandResult.Refuse(ReplyCode.HOST_UNREACHABLE, Session.reason(e));
        }
        CommandResult.Refuse cannotListen = listen(expected);
        if (cannotListen != null) {
            return cannotListen;
        }
        replier.succeeded((InetSocketAddress) listener.getLocalSocketAddress());
        session.client().setSoTimeout(0); // the bind timeout bounds the wait, not the handshake deadline
        session.startSecondHalf(new ClientSide(in.buffer(), in.leftoverOffset(), in.leftoverEnd()));
        long waitStart = System.nanoTime();
        Socket accepted;
        try {
            accepted = awaitPeer(expected, dst);
        } catch (SocketTimeoutException e) {
            decided.countDown();
            return new CommandResult.Refuse(ReplyCode.TTL_EXPIRED,
                    "no BIND peer within bindTimeout (" + session.settings().bindTimeout().toMillis() + "ms)");
        } catch (SocketException e) {
            decided.countDown();
            String reason = session.record().failure(); // set when abort() closed the listening socket
            return new CommandResult.Refuse(ReplyCode.GENERAL_FAILURE, reason != null ? reason : Session.reason(e));
        }
        session.attachTarget(accepted, Duration.ofNanos(System.nanoTime() - waitStart));
        peer = accepted;
        decided.countDown();
        replier.succeeded((InetSocketAddress) accepted.getRemoteSocketAddress());
        session.succeeded(replier);
        int idleMillis = (int) session.settings().idleTimeout().toMillis();
        session.client().setSoTimeout(idleMillis);
        accepted.setSoTimeout(idleMillis);
        session.touch();
        Pump down = new Pump(accepted, session.client(), new byte[session.initialBuffer()], 0, 0,
                session.settings().bufferSize(), session);
        session.record().setDown(down);
        return new CommandResult.Relay(down);
    }

    /** The address a peer must come from, or null for "any" (DST.ADDR 0.0.0.0 or ::). */
    private static InetAddress expectedPeer(Destination dst) throws UnknownHostException {
        InetAddress address = InetAddress.getByName(dst.host());
        return address.isAnyLocalAddress() ? null : address;
    }

    /** Opens the listening socket (kept by the session, so it is closed with it); null, or the refusal. */
    private CommandResult.Refuse listen(InetAddress expected) throws IOException {
        InetAddress local = localAddressToward(expected, session.client().getLocalAddress());
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(new InetSocketAddress(local, 0), 1);
        } catch (IOException e) {
            socket.close();
            return new CommandResult.Refuse(ReplyCode.GENERAL_FAILURE,
                    "cannot listen on " + local + ": " + Session.reason(e));
        }
        listener = socket;
        session.hold(() -> {
            try {
                socket.close();
            } finally {
                decided.countDown(); // a client side waiting for the peer must not wait for ever
            }
        });
        return null;
    }

    /**
     * The source address the routing table picks toward {@code peer} (a UDP "connect" sends nothing), so
     * the peer can reach the listening socket; the control connection's local address when there is no
     * peer address or no route.
     */
    static InetAddress localAddressToward(InetAddress peer, InetAddress fallback) {
        if (peer == null) {
            return fallback;
        }
        if (peer.isLoopbackAddress()) {
            return peer;
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(peer, 9);
            InetAddress local = probe.getLocalAddress();
            return local == null || local.isAnyLocalAddress() ? fallback : local;
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }

    /**
     * Accepts until a peer from {@code expected} connects; throws {@link SocketTimeoutException} after
     * the bind timeout, {@link SocketException} when the session was aborted.
     */
    private Socket awaitPeer(InetAddress expected, Destination dst) throws IOException {
        long timeoutNanos = session.settings().bindTimeout().toNanos();
        long deadline = System.nanoTime() + timeoutNanos;
        try (ServerSocket socket = listener) { // one peer per BIND: the port closes once it is decided
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("bind timeout");
                }
                socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
                Socket candidate = socket.accept();
                if (expected == null || expected.equals(candidate.getInetAddress())) {
                    return candidate;
                }
                LOG.debug("conn#{}: BIND for {} refused a peer from {}", session.record().id(), dst,
                        candidate.getRemoteSocketAddress());
                Session.closeQuietly(candidate);
            }
        }
    }

    /**
     * The client-to-peer half, on the session's second thread: reads the client from the start (so its
     * close ends the wait), then waits for the peer and pumps.
     */
    private final class ClientSide implements Direction {
        private final byte[] buffer;
        private final int offset;
        private final int end;

        ClientSide(byte[] firstBuffer, int offset, int end) {
            this.buffer = end > offset ? firstBuffer : new byte[session.initialBuffer()];
            this.offset = end > offset ? offset : 0;
            this.end = end > offset ? end : 0;
        }

        @Override
        public void run() throws IOException {
            int n = end - offset;
            if (n == 0) {
                n = session.client().getInputStream().read(buffer, 0, buffer.length);
            }
            if (n < 0 && decided.getCount() > 0) {
                session.abort("client closed before the BIND peer connected");
                return;
            }
            try {
                decided.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SocketException("interrupted while waiting for the BIND peer");
            }
            Socket target = peer;
            if (target == null) {
                return;
            }
            if (n < 0) {
                target.shutdownOutput(); // half-close: the client is done sending
                return;
            }
            Pump up = new Pump(session.client(), target, buffer, offset, offset + n, session.settings().bufferSize(),
                    session);
            session.record().setUp(up);
            up.run();
        }
    }
}
