package dev.socksbridge.proxy.protocol;

import java.io.IOException;

/** RFC 1928 CMD. */
public enum CommandType {
    CONNECT(0x01),
    BIND(0x02),
    UDP_ASSOCIATE(0x03);

    private final int code;

    CommandType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
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
