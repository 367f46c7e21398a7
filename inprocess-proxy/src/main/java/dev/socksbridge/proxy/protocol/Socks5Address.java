package dev.socksbridge.proxy.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * ATYP + ADDR + PORT as they appear in requests (DST) and replies (BND).
 *
 * <p>Domain names are kept byte for byte (ISO-8859-1), so whatever a client sends round-trips exactly;
 * real names are ASCII (IDNs travel as punycode).
 */
public final class Socks5Address {

    /** 0.0.0.0:0, the BND of a failure reply. */
    public static final Socks5Address UNSPECIFIED = ipv4(new byte[4], 0);

    private final AddressType type;
    private final byte[] address;
    private final int port;

    private Socks5Address(AddressType type, byte[] address, int port) {
        this.type = type;
        this.address = address;
        this.port = port;
        Wire.requireRange("port", port, 0, 65535);
    }

    public static Socks5Address ipv4(byte[] address, int port) {
        requireLength("IPv4 address", address, 4);
        return new Socks5Address(AddressType.IPV4, address.clone(), port);
    }

    public static Socks5Address ipv6(byte[] address, int port) {
        requireLength("IPv6 address", address, 16);
        return new Socks5Address(AddressType.IPV6, address.clone(), port);
    }

    /** @param name 1-255 bytes in ISO-8859-1 */
    public static Socks5Address domain(String name, int port) {
        Objects.requireNonNull(name, "domain");
        byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length < 1 || bytes.length > 255 || !name.equals(new String(bytes, StandardCharsets.ISO_8859_1))) {
            throw new IllegalArgumentException("domain: \"" + name + "\" (expected: 1-255 ISO-8859-1 bytes)");
        }
        return new Socks5Address(AddressType.DOMAIN, bytes, port);
    }

    /** An IP for a resolved address, the host string (as a domain) for an unresolved one. */
    public static Socks5Address of(InetSocketAddress socketAddress) {
        if (socketAddress.isUnresolved()) {
            return domain(socketAddress.getHostString(), socketAddress.getPort());
        }
        InetAddress ip = socketAddress.getAddress();
        byte[] raw = ip.getAddress();
        return raw.length == 4 ? ipv4(raw, socketAddress.getPort()) : ipv6(raw, socketAddress.getPort());
    }

    /** Reads ATYP, ADDR and PORT. An unknown ATYP is answered with REP 0x08, a zero-length name with 0x01. */
    public static Socks5Address decode(InputStream in) throws IOException {
        AddressType type = AddressType.fromCode(Wire.readByte(in, "address type"));
        switch (type) {
            case IPV4:
                return new Socks5Address(type, Wire.readBytes(in, 4, "IPv4 address"), Wire.readPort(in));
            case IPV6:
                return new Socks5Address(type, Wire.readBytes(in, 16, "IPv6 address"), Wire.readPort(in));
            default:
                int length = Wire.readByte(in, "domain length");
                if (length == 0) {
                    throw ProtocolException.withReply("domain length: 0 (expected: 1-255)", ReplyCode.GENERAL_FAILURE);
                }
                return new Socks5Address(type, Wire.readBytes(in, length, "domain"), Wire.readPort(in));
        }
    }

    public AddressType type() {
        return type;
    }

    /** The IP literal (IPv6 in RFC 5952 form, no brackets) or the domain name. */
    public String host() {
        switch (type) {
            case IPV4:
                return (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + "."
                        + (address[3] & 0xFF);
            case IPV6:
                return Ipv6Text.format(address);
            default:
                return new String(address, StandardCharsets.ISO_8859_1);
        }
    }

    public int port() {
        return port;
    }

    /** The destination exactly as the client named it. */
    int encodedLength() {
        return 1 + (type == AddressType.DOMAIN ? 1 : 0) + address.length + 2;
    }

    /** Writes ATYP, ADDR and PORT at {@code offset}; returns the offset after them. */
    int writeTo(byte[] out, int offset) {
        int i = offset;
        out[i++] = (byte) type.code();
        if (type == AddressType.DOMAIN) {
            out[i++] = (byte) address.length;
        }
        System.arraycopy(address, 0, out, i, address.length);
        i += address.length;
        out[i++] = (byte) (port >>> 8);
        out[i++] = (byte) port;
        return i;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Socks5Address && ((Socks5Address) o).type == type && ((Socks5Address) o).port == port
                && Arrays.equals(((Socks5Address) o).address, address);
    }

    @Override
    public int hashCode() {
        return (type.hashCode() * 31 + Arrays.hashCode(address)) * 31 + port;
    }

    @Override
    public String toString() {
        String host = host();
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    private static void requireLength(String field, byte[] bytes, int expected) {
        Objects.requireNonNull(bytes, field);
        if (bytes.length != expected) {
            throw new IllegalArgumentException(field + ": " + bytes.length + " bytes (expected: " + expected + ")");
        }
    }
}
