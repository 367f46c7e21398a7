package dev.socksbridge.proxy.protocol;

import java.io.IOException;

/** SOCKS4 CD in a request: CONNECT and BIND (SOCKS4 has no UDP). */
public enum Socks4Command {
    CONNECT(0x01),
    BIND(0x02);

    private final int code;

    Socks4Command(int code) {
        this.code = code;
    }

    public int code() {
        return code;
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
