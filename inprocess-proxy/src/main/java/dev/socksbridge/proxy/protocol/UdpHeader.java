package dev.socksbridge.proxy.protocol;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Objects;

/**
 * The header the client and the relay put in front of each UDP datagram (RFC 1928 section 7).
 * <pre>
 * +----+------+------+----------+----------+----------+
 * |RSV | FRAG | ATYP | DST.ADDR | DST.PORT |   DATA   |
 * +----+------+------+----------+----------+----------+
 * | 2  |  1   |  1   | Variable |    2     | Variable |
 * +----+------+------+----------+----------+----------+
 * </pre>
 * RSV is ignored when parsing and written as 0. FRAG 0 is a whole datagram; the relay drops any other
 * value (it does not reassemble fragments, which the RFC allows).
 */
public final class UdpHeader {

    /** RSV + FRAG + ATYP + length + a 255-byte name + port. */
    public static final int MAX_LENGTH = 2 + 1 + 1 + 1 + 255 + 2;

    private final int fragment;
    private final Socks5Address address;

    public UdpHeader(int fragment, Socks5Address address) {
        Wire.requireRange("fragment", fragment, 0, 255);
        this.fragment = fragment;
        this.address = Objects.requireNonNull(address, "address");
    }

    /**
     * Parses the header at the start of {@code datagram[offset..offset+length)}; the data follows it at
     * {@code offset + encodedLength()}.
     *
     * @throws ProtocolException when the header is truncated or its ATYP unknown
     */
    public static UdpHeader decode(byte[] datagram, int offset, int length) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(datagram, offset, length);
        Wire.readByte(in, "reserved");
        Wire.readByte(in, "reserved");
        int fragment = Wire.readByte(in, "fragment");
        return new UdpHeader(fragment, Socks5Address.decode(in));
    }

    public int fragment() {
        return fragment;
    }

    public boolean isFragment() {
        return fragment != 0;
    }

    public Socks5Address address() {
        return address;
    }

    public int encodedLength() {
        return 3 + address.encodedLength();
    }

    /** Writes the header at {@code offset}; returns the offset after it, where the data belongs. */
    public int writeTo(byte[] out, int offset) {
        out[offset] = 0;
        out[offset + 1] = 0;
        out[offset + 2] = (byte) fragment;
        return address.writeTo(out, offset + 3);
    }

    public byte[] encode() {
        byte[] out = new byte[encodedLength()];
        writeTo(out, 0);
        return out;
    }

    @Override
    public String toString() {
        return "UdpHeader[frag=" + fragment + " " + address + "]";
    }
}
