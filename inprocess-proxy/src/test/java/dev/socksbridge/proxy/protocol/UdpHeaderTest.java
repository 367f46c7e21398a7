package dev.socksbridge.proxy.protocol;

import static dev.socksbridge.proxy.protocol.ProtocolAssertions.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UdpHeaderTest {

    @ParameterizedTest(name = "{2}")
    @CsvSource({
        //  RSV   FRAG ATYP DST.ADDR                                  DST.PORT  DATA
        "'  00 00 00   01   7f 00 00 01                               00 35     68 69', 10, 127.0.0.1:53",
        "'  00 00 00   03   09 6c6f63616c686f7374                     ff ff     68 69', 16, localhost:65535",
        "'  00 00 00   04   00000000000000000000000000000001          80 01     68 69', 22, [::1]:32769"})
    void decodesEachAddressTypeAndFindsTheData(String hex, int headerLength, String destination) throws IOException {
        byte[] datagram = Hex.bytes(hex);
        UdpHeader header = UdpHeader.decode(datagram, 0, datagram.length);
        assertEquals(headerLength, header.encodedLength(), "data starts after the header");
        assertEquals("68 69", Hex.of(java.util.Arrays.copyOfRange(datagram, headerLength, datagram.length)));
        assertEquals(destination, header.address().toString());
        assertFalse(header.isFragment());
        assertEquals(Hex.of(java.util.Arrays.copyOf(datagram, headerLength)), Hex.of(header.encode()));
    }

    @Test
    void decodesAtAnOffsetInsideABiggerBuffer() throws IOException {
        byte[] buffer = Hex.bytes("ee ee ee   00 00 00 01 0a 00 00 01 1f 90   41   ee");
        UdpHeader header = UdpHeader.decode(buffer, 3, 11);
        assertEquals("10.0.0.1 8080", hostPort(header.address()));
    }

    @Test
    void aNonZeroFragIsReportedAndRsvIsIgnored() throws IOException {
        byte[] datagram = Hex.bytes("12 34 05 01 7f 00 00 01 00 35");
        UdpHeader header = UdpHeader.decode(datagram, 0, datagram.length);
        assertTrue(header.isFragment());
        assertEquals(5, header.fragment());
    }

    @Test
    void buildsTheHeaderAReplyIsWrappedWith() {
        UdpHeader header = new UdpHeader(0, Socks5Address.ipv4(new byte[] {127, 0, 0, 1}, 5353));
        assertEquals("00 00 00 01 7f 00 00 01 14 e9", Hex.of(header.encode()));
        byte[] buffer = new byte[UdpHeader.MAX_LENGTH];
        assertEquals(10, header.writeTo(buffer, 0));
        assertEquals(262, new UdpHeader(0, Socks5Address.domain("a".repeat(255), 1)).encodedLength());
    }

    @Test
    void truncatedOrUnknownHeadersAreProtocolErrors() {
        assertRejected("", () -> UdpHeader.decode(Hex.bytes("00 00"), 0, 2));
        assertRejected("", () -> UdpHeader.decode(Hex.bytes("00 00 00 01 7f 00"), 0, 6));
        assertRejected("", () -> UdpHeader.decode(Hex.bytes("00 00 00 03 05 61 62"), 0, 7));
        ProtocolException unknownType = org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class,
                () -> UdpHeader.decode(Hex.bytes("00 00 00 09 00"), 0, 5));
        assertTrue(unknownType.getMessage().startsWith("address type: 0x09"), unknownType.getMessage());
    }

    /** Host and port as the proxy reads them off the wire. */
    private static String hostPort(Socks5Address address) {
        return address.host() + " " + address.port();
    }
}
