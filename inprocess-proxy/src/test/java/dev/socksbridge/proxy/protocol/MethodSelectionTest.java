package dev.socksbridge.proxy.protocol;

import static dev.socksbridge.proxy.protocol.ProtocolAssertions.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class MethodSelectionTest {

    @ParameterizedTest
    @CsvSource({
        //                         VER METHOD
        "NO_AUTHENTICATION, 05 00",
        "GSSAPI,            05 01",
        "USERNAME_PASSWORD, 05 02",
        "NO_ACCEPTABLE,     05 ff"})
    void encodesEveryMethod(AuthMethod method, String hex) throws IOException {
        assertEquals(hex, Hex.of(new MethodSelection(method).encode()));
        assertEquals(method, MethodSelection.decode(Hex.stream(hex)).method());
    }

    @ParameterizedTest
    @EnumSource(AuthMethod.class)
    void methodCodesRoundTrip(AuthMethod method) throws IOException {
        assertEquals(method, AuthMethod.fromCode(method.code()));
    }

    @Test
    void unknownMethodInASelectionIsRejected() {
        ProtocolException e = assertRejected("", () -> MethodSelection.decode(Hex.stream("05 03")));
        assertEquals("method: 0x03 (expected: 0x00, 0x01, 0x02 or 0xff)", e.getMessage());
    }

    @Test
    void wrongVersionOrTruncationIsRejected() {
        assertRejected("", () -> MethodSelection.decode(Hex.stream("04 00")));
        assertRejected("", () -> MethodSelection.decode(Hex.stream("05")));
    }

    @Test
    void methodIsRequired() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new MethodSelection(null));
        assertEquals("method", e.getMessage());
    }
}
