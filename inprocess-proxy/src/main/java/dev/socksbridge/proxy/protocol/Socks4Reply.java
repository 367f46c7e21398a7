package dev.socksbridge.proxy.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * The SOCKS4 reply: VN 0, CD 0x5A (granted) or 0x5B (rejected or failed), then a port and an IPv4
 * address (for BIND, where the proxy listens and later the peer that connected; 0.0.0.0 when not IPv4).
 * <pre>
 * +----+----+----+----+----+----+----+----+
 * | VN | CD | DSTPORT |      DSTIP        |
 * +----+----+----+----+----+----+----+----+
 *   00    1      2              4
 * </pre>
 */
public final class Socks4Reply {

    public static final int GRANTED = 0x5A;
    public static final int REJECTED = 0x5B;

    private final int status;
    private final int port;
    private final byte[] ip;

    private Socks4Reply(int status, int port, byte[] ip) {
        this.status = status;
        this.port = port;
        this.ip = ip;
    }

    /** Granted, carrying {@code address} when it is IPv4 (0.0.0.0 otherwise). */
    public static Socks4Reply granted(InetSocketAddress address) {
        boolean v4 = !address.isUnresolved() && address.getAddress() instanceof Inet4Address;
        return new Socks4Reply(GRANTED, address.getPort(), v4 ? address.getAddress().getAddress() : new byte[4]);
    }

    public static Socks4Reply rejected() {
        return new Socks4Reply(REJECTED, 0, new byte[4]);
    }

    /** A request this server rejects: answer CD 0x5B, then close. */
    static ProtocolException rejection(String message) {
        return new ProtocolException(message, rejected().encode(), REJECTED);
    }

    public static Socks4Reply decode(InputStream in) throws IOException {
        int version = Wire.readByte(in, "version");
        if (version != 0) {
            throw ProtocolException.closeOnly("version: " + Wire.hex(version) + " (expected: 0x00)");
        }
        int status = Wire.readByte(in, "status");
        int port = Wire.readPort(in);
        return new Socks4Reply(status, port, Wire.readBytes(in, 4, "IPv4 address"));
    }

    public int status() {
        return status;
    }

    public boolean isGranted() {
        return status == GRANTED;
    }

    public int port() {
        return port;
    }

    public byte[] ip() {
        return ip.clone();
    }

    public byte[] encode() {
        return new byte[] {0, (byte) status, (byte) (port >>> 8), (byte) port, ip[0], ip[1], ip[2], ip[3]};
    }

    @Override
    public String toString() {
        return "Socks4Reply[" + Wire.hex(status) + " " + (ip[0] & 0xFF) + "." + (ip[1] & 0xFF) + "."
                + (ip[2] & 0xFF) + "." + (ip[3] & 0xFF) + ":" + port + "]";
    }
}
