package dev.socksbridge.proxy.protocol;

import dev.socksbridge.proxy.Command;
import java.io.IOException;

/** RFC 1928 CMD. */
public enum CommandType {
    CONNECT(0x01, Command.CONNECT),
    BIND(0x02, Command.BIND),
    UDP_ASSOCIATE(0x03, Command.UDP_ASSOCIATE);

    private final int code;
    private final Command command;

    CommandType(int code, Command command) {
        this.code = code;
        this.command = command;
    }

    public int code() {
        return code;
    }

    /** The protocol-independent command this wire code stands for. */
    public Command command() {
        return command;
    }

    /** @throws ProtocolException answered with REP 0x07 (command not supported) */
    public static CommandType fromCode(int code) throws IOException {
        switch (code) {
            case 0x01: return CONNECT;
            case 0x02: return BIND;
            case 0x03: return UDP_ASSOCIATE;
            default:
                throw ProtocolException.withReply("command: " + Wire.hex(code) + " (expected: 0x01, 0x02 or 0x03)",
                        ReplyCode.COMMAND_NOT_SUPPORTED);
        }
    }
}
