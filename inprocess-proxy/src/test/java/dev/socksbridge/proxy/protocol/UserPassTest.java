package dev.socksbridge.proxy.protocol;

import static dev.socksbridge.proxy.protocol.ProtocolAssertions.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 1929 request and reply. */
class UserPassTest {

    private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.US_ASCII);

    @Test
    void decodesUsernameAndPassword() throws IOException {
        UserPassRequest request = UserPassRequest.decode(Hex.stream(
                //  VER ULEN UNAME        PLEN PASSWD
                "   01  05   616c696365   06   733363726574"));
        assertEquals("alice", request.username());
        assertArrayEquals(SECRET, request.password());
    }

    @Test
    void encodesAsOnTheWire() {
        assertEquals("01 05 61 6c 69 63 65 06 73 33 63 72 65 74",
                Hex.of(new UserPassRequest("alice", SECRET).encode()));
    }

    @Test
    void acceptsAnEmptyPasswordAsTheJdkClientSendsIt() throws IOException {
        UserPassRequest request = UserPassRequest.decode(Hex.stream("01 03 626f62 00"));
        assertEquals("bob", request.username());
        assertEquals(0, request.password().length);
    }

    @Test
    void roundTrips255ByteFields() throws IOException {
        String user = "u".repeat(255);
        byte[] pass = new byte[255];
        byte[] wire = new UserPassRequest(user, pass).encode();
        assertEquals(1 + 1 + 255 + 1 + 255, wire.length);
        UserPassRequest back = UserPassRequest.decode(new java.io.ByteArrayInputStream(wire));
        assertEquals(user, back.username());
        assertArrayEquals(pass, back.password());
    }

    @Test
    void neverShowsThePassword() {
        String text = new UserPassRequest("alice", SECRET).toString();
        assertTrue(text.contains("alice"), text);
        assertFalse(text.contains("s3cret"), text);
    }

    @Test
    void wrongSubNegotiationVersionIsAnsweredWithFailureStatus() {
        //                       VER STATUS
        assertRejected("01 01", () -> UserPassRequest.decode(Hex.stream("05 01 61 01 62")));
    }

    @Test
    void truncatedRequestIsClosedWithoutReply() {
        assertRejected("", () -> UserPassRequest.decode(Hex.stream("01 05 616c69")));
        assertRejected("", () -> UserPassRequest.decode(Hex.stream("01 01 61")));
        assertRejected("", () -> UserPassRequest.decode(Hex.stream("01 01 61 02 70")));
    }

    @Test
    void constructorNamesTheBadField() {
        IllegalArgumentException user = assertThrows(IllegalArgumentException.class,
                () -> new UserPassRequest("u".repeat(256), SECRET));
        assertEquals("username length: 256 (expected: 0-255)", user.getMessage());
        IllegalArgumentException pass = assertThrows(IllegalArgumentException.class,
                () -> new UserPassRequest("u", new byte[256]));
        assertEquals("password length: 256 (expected: 0-255)", pass.getMessage());
    }

    @Test
    void repliesSuccessAndFailure() throws IOException {
        assertEquals("01 00", Hex.of(UserPassReply.SUCCESS.encode()));
        assertEquals("01 01", Hex.of(UserPassReply.FAILURE.encode()));
        assertTrue(UserPassReply.decode(Hex.stream("01 00")).isSuccess());
        UserPassReply refused = UserPassReply.decode(Hex.stream("01 ff"));
        assertFalse(refused.isSuccess());
        assertEquals(0xff, refused.status());
        assertRejected("", () -> UserPassReply.decode(Hex.stream("05 00")));
        assertEquals("status: 256 (expected: 0-255)",
                assertThrows(IllegalArgumentException.class, () -> new UserPassReply(256)).getMessage());
    }
}
