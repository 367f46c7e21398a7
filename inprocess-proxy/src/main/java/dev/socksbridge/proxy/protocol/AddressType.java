package dev.socksbridge.proxy.protocol;

import java.io.IOException;

/** RFC 1928 ATYP. */
public enum AddressType {
    IPV4(0x01),
    DOMAIN(0x03),
    IPV6(0x04);

    private final int code;

    AddressType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @throws ProtocolException answered with REP 0x08 (address type not supported) */
    public static AddressType fromCode(int code) throws IOException {
        switch (code) {
            case 0x01: return IPV4;
            case 0x03: return DOMAIN;
            case 0x04: return IPV6;
            default:
                throw ProtocolException.withReply("address type: " + Wire.hex(code)
                        + " (expected: 0x01, 0x03 or 0x04)", ReplyCode.ADDRESS_TYPE_NOT_SUPPORTED);
        }
    }
}
