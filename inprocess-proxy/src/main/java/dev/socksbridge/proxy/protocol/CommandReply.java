package dev.socksbridge.proxy.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The server's reply (RFC 1928 section 6); for CONNECT, BND is the outbound socket's local address.
 * <pre>
 * +----+-----+-------+------+----------+----------+
 * |VER | REP |  RSV  | ATYP | BND.ADDR | BND.PORT |
 * +----+-----+-------+------+----------+----------+
 * | 05 |  1  |  00   |  1   | Variable |    2     |
 * +----+-----+-------+------+----------+----------+
 * </pre>
 */
public final class CommandReply {

    private final ReplyCode reply;
    private final Socks5Address bound;

    public CommandReply(ReplyCode reply, Socks5Address bound) {
        this.reply = Objects.requireNonNull(reply, "reply");
        this.bound = Objects.requireNonNull(bound, "bound");
    }

    /** A failure with BND 0.0.0.0:0. */
    public static CommandReply failure(ReplyCode reply) {
        return new CommandReply(reply, Socks5Address.UNSPECIFIED);
    }

    public static CommandReply decode(InputStream in) throws IOException {
        int version = Wire.readByte(in, "version");
        if (version != Wire.SOCKS5_VERSION) {
            throw ProtocolException.closeOnly("version: " + Wire.hex(version) + " (expected: 0x05)");
        }
        ReplyCode reply = ReplyCode.fromCode(Wire.readByte(in, "reply"));
        Wire.readByte(in, "reserved");
        return new CommandReply(reply, Socks5Address.decode(in));
    }

    public ReplyCode reply() {
        return reply;
    }

    public Socks5Address bound() {
        return bound;
    }

    public byte[] encode() {
        byte[] out = new byte[3 + bound.encodedLength()];
        out[0] = Wire.SOCKS5_VERSION;
        out[1] = (byte) reply.code();
        out[2] = 0;
        bound.writeTo(out, 3);
        return out;
    }

    @Override
    public String toString() {
        return "CommandReply[" + reply + " " + bound + "]";
    }
}
