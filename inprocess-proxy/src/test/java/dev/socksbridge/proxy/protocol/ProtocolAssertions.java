package dev.socksbridge.proxy.protocol;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.function.Executable;

final class ProtocolAssertions {

    private ProtocolAssertions() {
    }

    /** Asserts a ProtocolException whose answer is exactly {@code responseHex} ("" for close without reply). */
    static ProtocolException assertRejected(String responseHex, Executable decode) {
        ProtocolException e = assertThrows(ProtocolException.class, decode);
        org.junit.jupiter.api.Assertions.assertEquals(responseHex, Hex.of(e.response()), "response to " + e.getMessage());
        return e;
    }
}
