package dev.socksbridge.proxy.protocol;

import java.io.IOException;
import java.io.InputStream;

/** Blocking reads that turn an early end of stream into a {@link ProtocolException}. */
final class Wire {

    static final int SOCKS5_VERSION = 0x05;
    static final int USERPASS_VERSION = 0x01;

    private Wire() {
    }

    /** Reads one unsigned byte; end of stream means the frame was truncated. */
    static int readByte(InputStream in, String field) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw ProtocolException.closeOnly("truncated frame: end of stream before " + field);
        }
        return b;
    }

    static byte[] readBytes(InputStream in, int length, String field) throws IOException {
        byte[] bytes = new byte[length];
        int done = 0;
        while (done < length) {
            int n = in.read(bytes, done, length - done);
            if (n < 0) {
                throw ProtocolException.closeOnly("truncated frame: " + field + " ended after " + done
                        + " of " + length + " bytes");
            }
            done += n;
        }
        return bytes;
    }

    static int readPort(InputStream in) throws IOException {
        int high = readByte(in, "port");
        return high << 8 | readByte(in, "port");
    }

    static String hex(int value) {
        return String.format("0x%02x", value);
    }

    static void requireRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: " + min + "-" + max + ")");
        }
    }
}
