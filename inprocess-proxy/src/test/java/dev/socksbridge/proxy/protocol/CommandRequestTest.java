package dev.socksbridge.proxy.protocol;

import static dev.socksbridge.proxy.protocol.ProtocolAssertions.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandRequestTest {

    @ParameterizedTest(name = "port {1}")
    @CsvSource({
        //  VER CMD RSV ATYP DST.ADDR     DST.PORT
        "'  05  01  00  01   7f 00 00 01  00 01', 1",
        "'  05  01  00  01   7f 00 00 01  80 01', 32769",
        "'  05  01  00  01   7f 00 00 01  ff ff', 65535"})
    void decodesIpv4ConnectWithEdgePorts(String hex, int port) throws IOException {
        CommandRequest request = CommandRequest.decode(Hex.stream(hex));
        assertEquals(CommandType.CONNECT, request.command());
        assertEquals(AddressType.IPV4, request.destination().type());
        assertEquals("127.0.0.1 " + port, hostPort(request.destination()));
        assertEquals(Hex.of(Hex.bytes(hex)), Hex.of(request.encode()));
    }

    @Test
    void decodesADomainName() throws IOException {
        CommandRequest request = CommandRequest.decode(Hex.stream(
                //  VER CMD RSV ATYP LEN DST.ADDR ("example.com")            DST.PORT
                "   05  01  00  03   0b  6578616d706c652e636f6d              01 bb"));
        assertEquals(AddressType.DOMAIN, request.destination().type());
        assertEquals("example.com 443", hostPort(request.destination()));
    }

    @Test
    void roundTripsA255ByteDomain() throws IOException {
        String name = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63);
        assertEquals(255, name.length());
        byte[] wire = new CommandRequest(CommandType.CONNECT, Socks5Address.domain(name, 65535)).encode();
        assertEquals(3 + 1 + 1 + 255 + 2, wire.length);
        assertEquals("05 01 00 03 ff", Hex.of(java.util.Arrays.copyOf(wire, 5)));
        CommandRequest back = CommandRequest.decode(new ByteArrayInputStream(wire));
        assertEquals(name + " " + 65535, hostPort(back.destination()));
    }

    @Test
    void decodesIpv6() throws IOException {
        CommandRequest request = CommandRequest.decode(Hex.stream(
                //  VER CMD RSV ATYP DST.ADDR (::1)                                     DST.PORT
                "   05  01  00  04   00000000 00000000 00000000 00000001            1f 90"));
        assertEquals(AddressType.IPV6, request.destination().type());
        assertEquals("::1 8080", hostPort(request.destination()));
        assertEquals("[::1]:8080", request.destination().toString());
    }

    @ParameterizedTest
    @CsvSource({"01, CONNECT", "02, BIND", "03, UDP_ASSOCIATE"})
    void decodesEveryCommand(String cmd, CommandType command) throws IOException {
        CommandRequest request = CommandRequest.decode(Hex.stream("05 " + cmd + " 00 01 0a000001 0050"));
        assertEquals(command, request.command());
        assertEquals(Integer.parseInt(cmd, 16), request.command().code());
    }

    @Test
    void ignoresTheReservedByte() throws IOException {
        assertEquals(CommandType.CONNECT, CommandRequest.decode(Hex.stream("05 01 7f 01 0a000001 0050")).command());
    }

    @Test
    void unknownCommandIsAnsweredWithCommandNotSupported() {
        ProtocolException e = assertRejected(
                //VER REP RSV ATYP BND.ADDR    BND.PORT
                "05 07 00 01 00 00 00 00 00 00",
                () -> CommandRequest.decode(Hex.stream("05 09 00 01 7f000001 0050")));
        assertEquals(0x07, e.replyCode());
        assertEquals("command: 0x09 (expected: 0x01, 0x02 or 0x03)", e.getMessage());
    }

    @Test
    void unknownAddressTypeIsAnsweredWithAddressTypeNotSupported() {
        ProtocolException e = assertRejected("05 08 00 01 00 00 00 00 00 00",
                () -> CommandRequest.decode(Hex.stream("05 01 00 02 7f000001 0050")));
        assertEquals(0x08, e.replyCode());
    }

    @Test
    void emptyDomainIsAnsweredWithGeneralFailure() {
        ProtocolException e = assertRejected("05 01 00 01 00 00 00 00 00 00",
                () -> CommandRequest.decode(Hex.stream("05 01 00 03 00 0050")));
        assertEquals("domain length: 0 (expected: 1-255)", e.getMessage());
    }

    @Test
    void wrongVersionIsClosedWithoutReply() {
        assertRejected("", () -> CommandRequest.decode(Hex.stream("04 01 00 01 7f000001 0050")));
    }

    @Test
    void everyTruncationIsClosedWithoutReply() {
        byte[] whole = Hex.bytes("05 01 00 03 0b 6578616d706c652e636f6d 01bb");
        for (int length = 0; length < whole.length; length++) {
            byte[] part = java.util.Arrays.copyOf(whole, length);
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> CommandRequest.decode(new ByteArrayInputStream(part)), "length " + length);
            assertEquals(0, e.response().length, "no reply to a frame cut at " + length);
            assertEquals(-1, e.replyCode());
        }
    }

    @Test
    void constructorNamesTheBadField() {
        assertEquals("command", assertThrows(NullPointerException.class,
                () -> new CommandRequest(null, Socks5Address.UNSPECIFIED)).getMessage());
        assertEquals("destination", assertThrows(NullPointerException.class,
                () -> new CommandRequest(CommandType.CONNECT, null)).getMessage());
    }

    /** Host and port as the proxy reads them off the wire. */
    private static String hostPort(Socks5Address address) {
        return address.host() + " " + address.port();
    }
}
