package dev.socksbridge.proxy.protocol;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/** Hex fixtures: "05 01 00" (spaces and line breaks ignored). */
final class Hex {

    private Hex() {
    }

    static byte[] bytes(String hex) {
        String digits = hex.replaceAll("\\s+", "");
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static InputStream stream(String hex) {
        return new ByteArrayInputStream(bytes(hex));
    }

    static String of(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            if (s.length() > 0) {
                s.append(' ');
            }
            s.append(String.format("%02x", b & 0xFF));
        }
        return s.toString();
    }
}
