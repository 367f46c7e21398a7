package dev.socksbridge.proxy.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The server's choice of authentication method (RFC 1928 section 3); 0xFF means none was acceptable
 * and the server closes.
 * <pre>
 * +----+--------+
 * |VER | METHOD |
 * +----+--------+
 * | 05 |   1    |
 * +----+--------+
 * </pre>
 */
public final class MethodSelection {

    private final AuthMethod method;

    public MethodSelection(AuthMethod method) {
        this.method = Objects.requireNonNull(method, "method");
    }

    public static MethodSelection decode(InputStream in) throws IOException {
        int version = Wire.readByte(in, "version");
        if (version != Wire.SOCKS5_VERSION) {
            throw ProtocolException.closeOnly("version: " + Wire.hex(version) + " (expected: 0x05)");
        }
        return new MethodSelection(AuthMethod.fromCode(Wire.readByte(in, "method")));
    }

    public AuthMethod method() {
        return method;
    }

    public byte[] encode() {
        return new byte[] {Wire.SOCKS5_VERSION, (byte) method.code()};
    }

    @Override
    public String toString() {
        return "MethodSelection[" + method + "]";
    }
}
