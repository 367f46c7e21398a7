package dev.socksbridge.proxy.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The client's request (RFC 1928 section 4).
 * <pre>
 * +----+-----+-------+------+----------+----------+
 * |VER | CMD |  RSV  | ATYP | DST.ADDR | DST.PORT |
 * +----+-----+-------+------+----------+----------+
 * | 05 |  1  |  00   |  1   | Variable |    2     |
 * +----+-----+-------+------+----------+----------+
 * </pre>
 */
public final class CommandRequest {

    private final CommandType command;
    private final Socks5Address destination;

    public CommandRequest(CommandType command, Socks5Address destination) {
        this.command = Objects.requireNonNull(command, "command");
        this.destination = Objects.requireNonNull(destination, "destination");
    }

    /**
     * Reads a whole request. An unknown CMD is reported (REP 0x07) only after the address was read, so
     * the reply is not lost to a reset caused by unread input; an unknown ATYP gets REP 0x08; a wrong
     * version is closed without reply; RSV is ignored.
     */
    public static CommandRequest decode(InputStream in) throws IOException {
        int version = Wire.readByte(in, "version");
        if (version != Wire.SOCKS5_VERSION) {
            throw ProtocolException.closeOnly("version: " + Wire.hex(version) + " (expected: 0x05)");
        }
        int commandCode = Wire.readByte(in, "command");
        Wire.readByte(in, "reserved");
        Socks5Address destination = Socks5Address.decode(in);
        return new CommandRequest(CommandType.fromCode(commandCode), destination);
    }

    public CommandType command() {
        return command;
    }

    public Socks5Address destination() {
        return destination;
    }

    public byte[] encode() {
        byte[] out = new byte[3 + destination.encodedLength()];
        out[0] = Wire.SOCKS5_VERSION;
        out[1] = (byte) command.code();
        out[2] = 0;
        destination.writeTo(out, 3);
        return out;
    }

    @Override
    public String toString() {
        return "CommandRequest[" + command + " " + destination + "]";
    }
}
