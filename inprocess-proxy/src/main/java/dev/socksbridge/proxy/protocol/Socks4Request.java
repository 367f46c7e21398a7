package dev.socksbridge.proxy.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A SOCKS4 request, or SOCKS4a when DSTIP is 0.0.0.x (x != 0) and a host name follows the USERID.
 * <pre>
 * +----+----+----+----+----+----+----+----+----+----+....+----+ (SOCKS4a only:) +....+----+
 * | VN | CD | DSTPORT |      DSTIP        | USERID       |NULL|                 | HOST |NULL|
 * +----+----+----+----+----+----+----+----+----+----+....+----+                 +....+----+
 *   04    1      2              4           variable       1                     variable  1
 * </pre>
 * USERID and host name are limited to 255 bytes each; longer ones are rejected (CD 0x5B).
 */
public final class Socks4Request {

    static final int VERSION = 0x04;
    private static final int MAX_FIELD = 255;

    private final Socks4Command command;
    private final int port;
    private final byte[] ip;
    private final String userId;
    private final String hostName;

    /**
     * @param ip       four bytes; for SOCKS4a pass 0.0.0.1 and a host name
     * @param hostName the SOCKS4a host name, or null for plain SOCKS4
     */
    public Socks4Request(Socks4Command command, int port, byte[] ip, String userId, String hostName) {
        this.command = Objects.requireNonNull(command, "command");
        Wire.requireRange("port", port, 0, 65535);
        Objects.requireNonNull(ip, "ip");
        Wire.requireRange("ip.length", ip.length, 4, 4);
        this.port = port;
        this.ip = ip.clone();
        this.userId = Objects.requireNonNull(userId, "userId");
        if (hostName != null && (hostName.isEmpty() || !isSocks4a(ip))) {
            throw new IllegalArgumentException("hostName: \"" + hostName
                    + "\" (expected: non-empty, with ip 0.0.0.x where x != 0)");
        }
        this.hostName = hostName;
    }

    /** Reads a whole request (so a rejection is not lost to unread input); a wrong VN is closed without reply. */
    public static Socks4Request decode(InputStream in) throws IOException {
        int version = Wire.readByte(in, "version");
        if (version != VERSION) {
            throw ProtocolException.closeOnly("version: " + Wire.hex(version) + " (expected: 0x04)");
        }
        int commandCode = Wire.readByte(in, "command");
        int port = Wire.readPort(in);
        byte[] ip = Wire.readBytes(in, 4, "IPv4 address");
        String userId = new String(readNulTerminated(in, "user id"), StandardCharsets.UTF_8);
        String hostName = null;
        if (isSocks4a(ip)) {
            byte[] name = readNulTerminated(in, "host name");
            if (name.length == 0) {
                throw Socks4Reply.rejection("host name: \"\" (expected: 1-255 bytes after 0.0.0.x)");
            }
            hostName = new String(name, StandardCharsets.ISO_8859_1);
        }
        return new Socks4Request(Socks4Command.fromCode(commandCode), port, ip, userId, hostName);
    }

    /** SOCKS4a marks "the host name follows" with DSTIP 0.0.0.x, x != 0. */
    static boolean isSocks4a(byte[] ip) {
        return ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] != 0;
    }

    private static byte[] readNulTerminated(InputStream in, String field) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
        while (true) {
            int b = Wire.readByte(in, field);
            if (b == 0) {
                return bytes.toByteArray();
            }
            if (bytes.size() == MAX_FIELD) {
                throw Socks4Reply.rejection(field + ": longer than " + MAX_FIELD + " bytes");
            }
            bytes.write(b);
        }
    }

    public Socks4Command command() {
        return command;
    }

    public boolean isSocks4a() {
        return hostName != null;
    }

    /** The USERID field (SOCKS4 has no password). */
    public String userId() {
        return userId;
    }

    /** The host name (SOCKS4a) or the IPv4 literal, and the port. */
    public InetSocketAddress destination() {
        String host = hostName != null ? hostName
                : (ip[0] & 0xFF) + "." + (ip[1] & 0xFF) + "." + (ip[2] & 0xFF) + "." + (ip[3] & 0xFF);
        return InetSocketAddress.createUnresolved(host, port);
    }

    public byte[] encode() {
        byte[] user = userId.getBytes(StandardCharsets.UTF_8);
        byte[] host = hostName == null ? null : hostName.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[8 + user.length + 1 + (host == null ? 0 : host.length + 1)];
        out[0] = VERSION;
        out[1] = (byte) command.code();
        out[2] = (byte) (port >>> 8);
        out[3] = (byte) port;
        System.arraycopy(ip, 0, out, 4, 4);
        System.arraycopy(user, 0, out, 8, user.length);
        if (host != null) {
            System.arraycopy(host, 0, out, 9 + user.length, host.length);
        }
        return out; // the NUL terminators are the array's zero bytes
    }

    @Override
    public String toString() {
        return "Socks4Request[" + command + " " + destination() + " user=" + userId + "]";
    }
}
