package dev.socksbridge.agent.it;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A SOCKS5 client written out byte by byte (RFC 1928/1929), playing a process outside the agent's JVM. */
final class RawSocks5 implements AutoCloseable {

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawSocks5(int proxyPort) throws IOException {
        socket = new Socket(java.net.Proxy.NO_PROXY);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxyPort), 10_000);
        socket.setSoTimeout(30_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Offers one method (0x00 none, 0x02 username/password); returns the method the server chose. */
    int greet(int method) throws IOException {
        out.write(new byte[] {5, 1, (byte) method});
        out.flush();
        int version = in.readUnsignedByte();
        if (version != 5) {
            throw new IOException("VER " + version);
        }
        return in.readUnsignedByte();
    }

    /** RFC 1929 sub-negotiation; returns STATUS (0 = success). */
    int login(String user, String password) throws IOException {
        byte[] u = user.getBytes(StandardCharsets.UTF_8);
        byte[] p = password.getBytes(StandardCharsets.UTF_8);
        out.write(1);
        out.write(u.length);
        out.write(u);
        out.write(p.length);
        out.write(p);
        out.flush();
        in.readUnsignedByte();
        return in.readUnsignedByte();
    }

    /** CONNECT to 127.0.0.1:port; returns REP (0 = succeeded, 2 = not allowed by ruleset). */
    int connect(int port) throws IOException {
        out.write(new byte[] {5, 1, 0, 1, 127, 0, 0, 1, (byte) (port >> 8), (byte) port});
        out.flush();
        return readReply().rep;
    }

    /** UDP ASSOCIATE (the client's address left unspecified); returns the relay's address (BND). */
    InetSocketAddress udpAssociate() throws IOException {
        out.write(new byte[] {5, 3, 0, 1, 0, 0, 0, 0, 0, 0});
        out.flush();
        Reply reply = readReply();
        if (reply.rep != 0 || reply.bound == null) {
            throw new IOException("UDP ASSOCIATE refused: REP " + reply.rep);
        }
        return reply.bound;
    }

    /**
     * Sends {@code payload} to 127.0.0.1:port through the relay (RFC 1928 section 7 header, IPv4) and
     * returns the payload of the first datagram that comes back, without its header.
     */
    static byte[] relayDatagram(DatagramSocket udp, InetSocketAddress relay, int port, byte[] payload)
            throws IOException {
        byte[] header = {0, 0, 0, 1, 127, 0, 0, 1, (byte) (port >> 8), (byte) port};
        byte[] datagram = new byte[header.length + payload.length];
        System.arraycopy(header, 0, datagram, 0, header.length);
        System.arraycopy(payload, 0, datagram, header.length, payload.length);
        udp.send(new DatagramPacket(datagram, datagram.length, relay));
        DatagramPacket answer = new DatagramPacket(new byte[2048], 2048);
        udp.receive(answer);
        return Arrays.copyOfRange(answer.getData(), header.length, answer.getLength());
    }

    private record Reply(int rep, InetSocketAddress bound) {
    }

    /** VER REP RSV ATYP BND.ADDR BND.PORT; the bound address is null for a domain name. */
    private Reply readReply() throws IOException {
        in.readUnsignedByte();
        int rep = in.readUnsignedByte();
        in.readUnsignedByte();
        int atyp = in.readUnsignedByte();
        byte[] address = in.readNBytes(atyp == 1 ? 4 : atyp == 4 ? 16 : in.readUnsignedByte());
        int port = in.readUnsignedShort();
        return new Reply(rep, atyp == 3 ? null : new InetSocketAddress(InetAddress.getByAddress(address), port));
    }

    /** After a successful CONNECT: sends bytes, half-closes, returns how many came back. */
    int echo(int count) throws IOException {
        out.write(new byte[count]);
        socket.shutdownOutput();
        return in.readAllBytes().length;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
