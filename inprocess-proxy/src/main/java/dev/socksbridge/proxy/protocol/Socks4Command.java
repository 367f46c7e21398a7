package dev.socksbridge.proxy.protocol;

import dev.socksbridge.proxy.Command;
import java.io.IOException;

/** SOCKS4 CD in a request: CONNECT and BIND (SOCKS4 has no UDP). */
public enum Socks4Command {
    CONNECT(0x01, Command.CONNECT),
    BIND(0x02, Command.BIND);

    private final int code;
    private final Command command;

    Socks4Command(int code, Command command) {
        this.code = code;
        this.command = command;
    }

    public int code() {
        return code;
    }

    public Command command() {
        return command;
    }

    /** @throws ProtocolException answered with CD 0x5B (request rejected) */
    public static Socks4Command fromCode(int code) throws IOException {
        switch (code) {
            case 0x01: return CONNECT;
            case 0x02: return BIND;
            default:
                throw Socks4Reply.rejection("command: " + Wire.hex(code) + " (expected: 0x01 or 0x02)");
        }
    }
}
