package dev.socksbridge.proxy;

import dev.socksbridge.proxy.protocol.ReplyCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;

/**
 * UDP ASSOCIATE (RFC 1928 sections 6-7): opens a datagram socket, answers the address the client must
 * send to (the control connection's local address, so the interface the client came in on, with the
 * socket's port), runs the {@link UdpRelay} on the session's second thread and keeps the control
 * connection on the session thread: when the client closes it, the association (and its socket and
 * thread) ends.
 *
 * <p>The socket is bound to the wildcard address: a socket bound to 127.0.0.1 could not send to any
 * target off this host, and the in-process case is exactly a loopback client with remote targets. Only
 * the client's own datagrams are relayed outward, and only its targets' replies back (see {@link UdpRelay}).
 */
final class UdpAssociation {

    private UdpAssociation() {
    }

    /** Relays the control-connection half on the session thread, or refuses. */
    static CommandResult start(Session session, Replier replier, HandshakeInput in) throws IOException {
        Socket client = session.client();
        DatagramSocket socket;
        try {
            socket = new DatagramSocket(new InetSocketAddress(0));
        } catch (IOException e) {
            return new CommandResult.Refuse(ReplyCode.GENERAL_FAILURE,
                    "cannot open a UDP socket: " + Session.reason(e));
        }
        session.hold(socket);
        UdpRelay relay = new UdpRelay(socket, expectedClient(session), session);
        session.record().setUdp(relay);
        replier.succeeded(new InetSocketAddress(client.getLocalAddress(), socket.getLocalPort()));
        session.succeeded(replier);
        client.setSoTimeout(0); // the association lives as long as the control connection
        session.touch();
        session.startSecondHalf(relay);
        byte[] controlBuffer = in.buffer();
        return new CommandResult.Relay(() -> holdControl(client, socket, controlBuffer));
    }

    /**
     * The address the client's datagrams must come from: the one it declared in the request, with the
     * control connection's IP when it declared 0.0.0.0/:: or a host name, and port 0 for "the first
     * datagram from that IP tells".
     */
    static InetSocketAddress expectedClient(Session session) {
        Destination declared = session.request().destination();
        InetAddress ip = literal(declared.host());
        if (ip == null || ip.isAnyLocalAddress()) {
            ip = session.record().clientAddress().getAddress();
        }
        return new InetSocketAddress(ip, declared.port());
    }

    /** The address of an IP literal, without ever asking DNS; null for a host name. */
    private static InetAddress literal(String host) {
        boolean looksLiteral = host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!looksLiteral) {
            return null;
        }
        try {
            return InetAddress.getByName(host); // a literal is parsed, not resolved
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads (and ignores) the control connection until the client closes it, then ends the association. */
    private static void holdControl(Socket client, DatagramSocket socket, byte[] buffer) throws IOException {
        InputStream in = client.getInputStream();
        try {
            while (in.read(buffer, 0, buffer.length) >= 0) {
                // RFC 1928 gives the control connection no further messages; anything sent is discarded.
            }
        } catch (SocketException e) {
            if (!client.isClosed()) {
                throw e;
            }
        } finally {
            socket.close(); // the relay thread's receive() fails and it ends
        }
    }
}
