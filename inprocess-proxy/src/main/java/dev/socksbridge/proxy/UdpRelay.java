package dev.socksbridge.proxy;

import dev.socksbridge.proxy.protocol.Socks5Address;
import dev.socksbridge.proxy.protocol.UdpHeader;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The datagram loop of one UDP association, on one socket and one thread with one buffer: a datagram
 * from the client is unwrapped (its SOCKS header parsed, the policy asked for its destination) and its
 * data sent on; a datagram from a target the client sent to is a reply, wrapped with the sender's
 * address and sent to the client. Memory stays at one 64 KiB buffer and a bounded set of targets per
 * association: there are no queues, a datagram that cannot be relayed at once is dropped (and
 * counted), as UDP allows.
 *
 * <p>Dropped (and counted): FRAG != 0 (no reassembly), a malformed header, a destination the policy
 * denies or that does not resolve, a send the network refuses, anything that arrives before the
 * client's own address is known (when it declared port 0, its first datagram from its IP tells), and
 * anything from an address that is neither the client nor a target it sent to (RFC 1928 section 7).
 */
final class UdpRelay implements Direction {

    private static final Logger LOG = LoggerFactory.getLogger(UdpRelay.class);
    /** Room in front of a target's data for the header that wraps it. */
    private static final int HEADER_ROOM = UdpHeader.MAX_LENGTH;
    private static final int MAX_DATAGRAM = 65_535;
    /** Targets remembered per association; a reply from one forgotten since is dropped. */
    private static final int MAX_TARGETS = 1024;

    private final DatagramSocket socket;
    private final Session session;
    private final InetSocketAddress expected;
    private final byte[] buffer = new byte[HEADER_ROOM + MAX_DATAGRAM];
    private final DatagramPacket packet = new DatagramPacket(buffer, HEADER_ROOM, MAX_DATAGRAM);
    private InetSocketAddress client;
    /** The targets the client sent to, most recent last: only they may answer through the relay. */
    private final Map<InetSocketAddress, Boolean> targets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Boolean> eldest) {
            return size() > MAX_TARGETS;
        }
    };
    // Written by the relay thread only, read once the session ended.
    private long datagramsUp;
    private long datagramsDown;
    private long datagramsDropped;
    private long bytesUp;
    private long bytesDown;

    /** @param expected the client's datagram address; port 0 = the first datagram from that IP decides */
    UdpRelay(DatagramSocket socket, InetSocketAddress expected, Session session) {
        this.socket = socket;
        this.expected = expected;
        this.session = session;
        this.client = expected.getPort() == 0 ? null : expected;
    }

    @Override
    public void run() throws IOException {
        socket.setSoTimeout((int) session.settings().idleTimeout().toMillis());
        while (true) {
            packet.setData(buffer, HEADER_ROOM, MAX_DATAGRAM);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                if (session.idleExpired()) {
                    throw e;
                }
                continue;
            } catch (SocketException e) {
                if (socket.isClosed()) {
                    return; // the association ended (control connection closed, or the session aborted)
                }
                throw e;
            }
            InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
            if (isClient(from)) {
                fromClient(packet.getLength());
            } else if (targets.get(from) != null) {
                toClient(from, packet.getLength());
            } else {
                drop("from " + from + ", neither the client nor a target it sent to");
            }
        }
    }

    /** Whether {@code from} is the client; the first datagram from the expected IP fixes an undeclared port. */
    private boolean isClient(InetSocketAddress from) {
        if (client != null) {
            return client.equals(from);
        }
        if (from.getAddress().equals(expected.getAddress())) {
            client = from;
            return true;
        }
        return false;
    }

    private void fromClient(int length) throws IOException {
        UdpHeader header;
        try {
            header = UdpHeader.decode(buffer, HEADER_ROOM, length);
        } catch (IOException e) {
            drop("malformed header: " + e.getMessage());
            return;
        }
        if (header.isFragment()) {
            drop("fragment " + header.fragment() + " (fragments are not reassembled)");
            return;
        }
        Destination where = new Destination(header.address().host(), header.address().port());
        if (!session.permits(session.request().withDestination(where))) {
            drop("denied by policy: " + where);
            return;
        }
        InetSocketAddress target = new InetSocketAddress(where.host(), where.port());
        if (target.isUnresolved() || target.getPort() == 0) {
            drop("cannot resolve " + where);
            return;
        }
        int dataOffset = HEADER_ROOM + header.encodedLength();
        int dataLength = length - header.encodedLength();
        targets.put(target, Boolean.TRUE);
        if (send(new DatagramPacket(buffer, dataOffset, dataLength, target))) {
            datagramsUp++;
            bytesUp += dataLength;
        }
    }

    private void toClient(InetSocketAddress from, int length) throws IOException {
        UdpHeader header = new UdpHeader(0, Socks5Address.of(from));
        int start = HEADER_ROOM - header.encodedLength();
        header.writeTo(buffer, start);
        if (send(new DatagramPacket(buffer, start, header.encodedLength() + length, client))) {
            datagramsDown++;
            bytesDown += length;
        }
    }

    /** Sends; a datagram the network refuses is dropped, a closed socket ends the loop. */
    private boolean send(DatagramPacket datagram) throws IOException {
        try {
            socket.send(datagram);
            session.touch();
            return true;
        } catch (IOException e) {
            if (socket.isClosed()) {
                throw e;
            }
            drop("send to " + datagram.getSocketAddress() + " failed: " + Session.reason(e));
            return false;
        }
    }

    private void drop(String why) {
        datagramsDropped++;
        LOG.debug("conn#{}: UDP datagram dropped: {}", session.record().id(), why);
    }

    long datagramsUp() {
        return datagramsUp;
    }

    long datagramsDown() {
        return datagramsDown;
    }

    long datagramsDropped() {
        return datagramsDropped;
    }

    long bytesUp() {
        return bytesUp;
    }

    long bytesDown() {
        return bytesDown;
    }
}
