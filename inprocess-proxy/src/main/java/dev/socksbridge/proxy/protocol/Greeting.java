package dev.socksbridge.proxy.protocol;

import java.io.IOException;
import java.io.InputStream;

/**
 * The client's first message (RFC 1928 section 3).
 * <pre>
 * +----+----------+----------+
 * |VER | NMETHODS | METHODS  |
 * +----+----------+----------+
 * | 05 |    1     | 1 to 255 |
 * +----+----------+----------+
 * </pre>
 * Methods are kept as raw codes: clients may offer ones this server has never heard of.
 */
public final class Greeting {

    private final byte[] methods;

    /** @param methods 1-255 method codes, each 0-255 */
    public Greeting(int... methods) {
        Wire.requireRange("methods.length", methods.length, 1, 255);
        this.methods = new byte[methods.length];
        for (int i = 0; i < methods.length; i++) {
            Wire.requireRange("methods[" + i + "]", methods[i], 0, 255);
            this.methods[i] = (byte) methods[i];
        }
    }

    private Greeting(byte[] methods) {
        this.methods = methods;
    }

    /** A wrong version is closed without reply; NMETHODS 0 is answered with method 0xFF. */
    public static Greeting decode(InputStream in) throws IOException {
        int version = Wire.readByte(in, "version");
        if (version != Wire.SOCKS5_VERSION) {
            throw ProtocolException.closeOnly("version: " + Wire.hex(version) + " (expected: 0x05)");
        }
        int count = Wire.readByte(in, "method count");
        if (count == 0) {
            throw ProtocolException.noAcceptableMethod("method count: 0 (expected: 1-255)");
        }
        return new Greeting(Wire.readBytes(in, count, "methods"));
    }

    public boolean offers(AuthMethod method) {
        for (byte m : methods) {
            if ((m & 0xFF) == method.code()) {
                return true;
            }
        }
        return false;
    }

    public int[] methods() {
        int[] codes = new int[methods.length];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = methods[i] & 0xFF;
        }
        return codes;
    }

    public byte[] encode() {
        byte[] out = new byte[2 + methods.length];
        out[0] = Wire.SOCKS5_VERSION;
        out[1] = (byte) methods.length;
        System.arraycopy(methods, 0, out, 2, methods.length);
        return out;
    }
}
