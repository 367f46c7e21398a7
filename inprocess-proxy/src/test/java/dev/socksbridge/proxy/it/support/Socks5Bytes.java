package dev.socksbridge.proxy.it.support;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The raw bytes a SOCKS5 client sends (RFC 1928 section 3 and 4, RFC 1929 section 2), built by hand so
 * the tests can also send what no well-behaved client would.
 */
public final class Socks5Bytes {

    public static final int VERSION = 0x05;
    public static final int NO_AUTH = 0x00;
    public static final int USERNAME_PASSWORD = 0x02;
    public static final int NO_ACCEPTABLE_METHODS = 0xFF;

    public static final int CONNECT = 0x01;
    public static final int BIND = 0x02;
    public static final int UDP_ASSOCIATE = 0x03;

    public static final int ATYP_IPV4 = 0x01;
    public static final int ATYP_DOMAIN = 0x03;
    public static final int ATYP_IPV6 = 0x04;

    private Socks5Bytes() {
    }

    /** +----+----------+----------+ | VER | NMETHODS | METHODS | */
    public static byte[] greeting(int... methods) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(VERSION);
        out.write(methods.length);
        for (int method : methods) {
            out.write(method);
        }
        return out.toByteArray();
    }

    /** CONNECT to an IP address: ATYP 1 (IPv4) or 4 (IPv6). */
    public static byte[] connect(InetSocketAddress target) {
        byte[] address = target.getAddress().getAddress();
        int atyp = target.getAddress() instanceof Inet6Address ? ATYP_IPV6 : ATYP_IPV4;
        return request(CONNECT, atyp, address, target.getPort());
    }

    /** CONNECT to a host name the proxy resolves: ATYP 3, one length byte, then the name. */
    public static byte[] connectDomain(String host, int port) {
        byte[] name = host.getBytes(StandardCharsets.US_ASCII);
        return request(CONNECT, ATYP_DOMAIN, concat(new byte[] {(byte) name.length}, name), port);
    }

    /**
     * +----+-----+-------+------+----------+----------+
     * |VER | CMD |  RSV  | ATYP | DST.ADDR | DST.PORT |
     * +----+-----+-------+------+----------+----------+
     * {@code address} is DST.ADDR exactly as it goes on the wire (with the length byte for a domain).
     */
    public static byte[] request(int command, int atyp, byte[] address, int port) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(VERSION);
        out.write(command);
        out.write(0x00);
        out.write(atyp);
        out.writeBytes(address);
        out.write(port >> 8);
        out.write(port);
        return out.toByteArray();
    }

    /** RFC 1929: VER 1 | ULEN | UNAME | PLEN | PASSWD. */
    public static byte[] usernamePassword(String username, String password) {
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        byte[] pass = password.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x01);
        out.write(user.length);
        out.writeBytes(user);
        out.write(pass.length);
        out.writeBytes(pass);
        return out.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Lower-case hex with a space between bytes, for readable assertion messages. */
    public static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(String.format("%02x", b & 0xFF));
        }
        return text.toString();
    }
}
