package dev.socksbridge.proxy.protocol;

import java.io.IOException;

/** RFC 1928 METHOD codes the server knows; a greeting may offer others, which are simply ignored. */
public enum AuthMethod {
    NO_AUTHENTICATION(0x00),
    GSSAPI(0x01),
    USERNAME_PASSWORD(0x02),
    NO_ACCEPTABLE(0xFF);

    private final int code;

    AuthMethod(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @throws ProtocolException for a code this server does not know */
    public static AuthMethod fromCode(int code) throws IOException {
        for (AuthMethod method : values()) {
            if (method.code == code) {
                return method;
            }
        }
        throw ProtocolException.closeOnly("method: " + Wire.hex(code) + " (expected: 0x00, 0x01, 0x02 or 0xff)");
    }
}
