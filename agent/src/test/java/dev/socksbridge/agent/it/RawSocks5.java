package dev.socksbridge.agent.it;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

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
        in.readUnsignedByte();
        int rep = in.readUnsignedByte();
        in.readUnsignedByte();
        int atyp = in.readUnsignedByte();
        int addressLength = atyp == 1 ? 4 : atyp == 4 ? 16 : in.readUnsignedByte();
        in.readNBytes(addressLength + 2);
        return rep;
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
