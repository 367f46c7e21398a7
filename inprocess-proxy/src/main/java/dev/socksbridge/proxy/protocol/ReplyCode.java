package dev.socksbridge.proxy.protocol;

import java.io.IOException;

/** RFC 1928 REP. */
public enum ReplyCode {
    SUCCEEDED(0x00, "succeeded"),
    GENERAL_FAILURE(0x01, "general SOCKS server failure"),
    NOT_ALLOWED(0x02, "connection not allowed by ruleset"),
    NETWORK_UNREACHABLE(0x03, "network unreachable"),
    HOST_UNREACHABLE(0x04, "host unreachable"),
    CONNECTION_REFUSED(0x05, "connection refused"),
    TTL_EXPIRED(0x06, "TTL expired"),
    COMMAND_NOT_SUPPORTED(0x07, "command not supported"),
    ADDRESS_TYPE_NOT_SUPPORTED(0x08, "address type not supported");

    private static final ReplyCode[] BY_CODE = values();

    private final int code;
    private final String description;

    ReplyCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    public int code() {
        return code;
    }

    /** The RFC's wording, e.g. "connection refused". */
    public String description() {
        return description;
    }

    public boolean isSuccess() {
        return this == SUCCEEDED;
    }

    /** @throws ProtocolException for a code outside 0x00-0x08 */
    public static ReplyCode fromCode(int code) throws IOException {
        if (code < 0 || code >= BY_CODE.length) {
            throw ProtocolException.closeOnly("reply: " + Wire.hex(code) + " (expected: 0x00-0x08)");
        }
        return BY_CODE[code];
    }
}
