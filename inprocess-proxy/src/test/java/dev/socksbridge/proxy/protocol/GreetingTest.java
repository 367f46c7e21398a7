package dev.socksbridge.proxy.protocol;

import static dev.socksbridge.proxy.protocol.ProtocolAssertions.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class GreetingTest {

    @Test
    void decodesTheMethodsOffered() throws IOException {
        //                                   VER NMETHODS METHODS
        Greeting greeting = Greeting.decode(Hex.stream("05  02       00 02"));
        assertArrayEquals(new int[] {0x00, 0x02}, greeting.methods());
        assertTrue(greeting.offers(AuthMethod.NO_AUTHENTICATION));
        assertTrue(greeting.offers(AuthMethod.USERNAME_PASSWORD));
        assertFalse(greeting.offers(AuthMethod.GSSAPI));
    }

    @Test
    void keepsMethodsTheServerDoesNotKnow() throws IOException {
        Greeting greeting = Greeting.decode(Hex.stream("05 03 80 fe 01"));
        assertArrayEquals(new int[] {0x80, 0xfe, 0x01}, greeting.methods());
        assertTrue(greeting.offers(AuthMethod.GSSAPI));
        assertFalse(greeting.offers(AuthMethod.NO_AUTHENTICATION));
    }

    @Test
    void encodesAsOnTheWire() {
        assertEquals("05 01 00", Hex.of(new Greeting(0x00).encode()));
        assertEquals("05 02 00 02", Hex.of(new Greeting(0x00, 0x02).encode()));
    }

    @Test
    void acceptsAll255Methods() throws IOException {
        int[] all = new int[255];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        byte[] wire = new Greeting(all).encode();
        assertEquals(257, wire.length);
        assertArrayEquals(all, Greeting.decode(new java.io.ByteArrayInputStream(wire)).methods());
    }

    @Test
    void wrongVersionIsClosedWithoutReply() {
        ProtocolException e = assertRejected("", () -> Greeting.decode(Hex.stream("04 01 00")));
        assertEquals("version: 0x04 (expected: 0x05)", e.getMessage());
    }

    @Test
    void noMethodsIsAnsweredWithNoAcceptableMethod() {
        //                           VER METHOD
        assertRejected("05 ff", () -> Greeting.decode(Hex.stream("05 00")));
    }

    @Test
    void truncatedGreetingIsClosedWithoutReply() {
        assertRejected("", () -> Greeting.decode(Hex.stream("")));
        assertRejected("", () -> Greeting.decode(Hex.stream("05")));
        ProtocolException e = assertRejected("", () -> Greeting.decode(Hex.stream("05 03 00 02")));
        assertEquals("truncated frame: methods ended after 2 of 3 bytes", e.getMessage());
    }

    @Test
    void constructorNamesTheBadField() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, Greeting::new);
        assertEquals("methods.length: 0 (expected: 1-255)", none.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> new Greeting(0, 256));
        assertEquals("methods[1]: 256 (expected: 0-255)", big.getMessage());
    }
}
