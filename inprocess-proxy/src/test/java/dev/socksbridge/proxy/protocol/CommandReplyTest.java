package dev.socksbridge.proxy.protocol;

import static dev.socksbridge.proxy.protocol.ProtocolAssertions.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandReplyTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        //                           VER REP RSV ATYP BND.ADDR    BND.PORT
        "SUCCEEDED,                  '05 00 00 01 00 00 00 00 00 00'",
        "GENERAL_FAILURE,            '05 01 00 01 00 00 00 00 00 00'",
        "NOT_ALLOWED,                '05 02 00 01 00 00 00 00 00 00'",
        "NETWORK_UNREACHABLE,        '05 03 00 01 00 00 00 00 00 00'",
        "HOST_UNREACHABLE,           '05 04 00 01 00 00 00 00 00 00'",
        "CONNECTION_REFUSED,         '05 05 00 01 00 00 00 00 00 00'",
        "TTL_EXPIRED,                '05 06 00 01 00 00 00 00 00 00'",
        "COMMAND_NOT_SUPPORTED,      '05 07 00 01 00 00 00 00 00 00'",
        "ADDRESS_TYPE_NOT_SUPPORTED, '05 08 00 01 00 00 00 00 00 00'"})
    void encodesAndDecodesEveryReplyCode(ReplyCode code, String hex) throws IOException {
        assertEquals(hex, Hex.of(CommandReply.failure(code).encode()));
        CommandReply decoded = CommandReply.decode(Hex.stream(hex));
        assertEquals(code, decoded.reply());
        assertEquals(Socks5Address.UNSPECIFIED, decoded.bound());
        assertEquals(code == ReplyCode.SUCCEEDED, code.isSuccess());
    }

    @Test
    void successCarriesTheBoundIpv4Address() throws IOException {
        InetSocketAddress bound = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 32769);
        byte[] wire = new CommandReply(ReplyCode.SUCCEEDED, Socks5Address.of(bound)).encode();
        //            VER REP RSV ATYP BND.ADDR     BND.PORT
        assertEquals("05 00 00 01 7f 00 00 01 80 01", Hex.of(wire));
        assertEquals("127.0.0.1:32769", CommandReply.decode(Hex.stream(Hex.of(wire))).bound().toString());
    }

    @Test
    void successCarriesTheBoundIpv6Address() throws IOException {
        InetSocketAddress bound = new InetSocketAddress(InetAddress.getByName("::1"), 65535);
        byte[] wire = new CommandReply(ReplyCode.SUCCEEDED, Socks5Address.of(bound)).encode();
        //            VER REP RSV ATYP BND.ADDR (::1)                                  BND.PORT
        assertEquals("05 00 00 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 ff ff", Hex.of(wire));
        assertEquals(AddressType.IPV6, CommandReply.decode(Hex.stream(Hex.of(wire))).bound().type());
    }

    @Test
    void decodesADomainBoundAddress() throws IOException {
        CommandReply reply = CommandReply.decode(Hex.stream("05 00 00 03 09 6c6f63616c686f7374 0001"));
        assertTrue(reply.reply().isSuccess());
        assertEquals("localhost:1", reply.bound().toString());
    }

    @Test
    void rejectsUnknownReplyCodeAndWrongVersion() {
        ProtocolException e = assertRejected("", () -> CommandReply.decode(Hex.stream("05 09 00 01 00000000 0000")));
        assertEquals("reply: 0x09 (expected: 0x00-0x08)", e.getMessage());
        assertRejected("", () -> CommandReply.decode(Hex.stream("04 00 00 01 00000000 0000")));
    }

    @Test
    void onlySucceededIsSuccess() {
        for (ReplyCode code : ReplyCode.values()) {
            assertEquals(code.code() == 0, code.isSuccess(), code.name());
        }
        assertFalse(ReplyCode.CONNECTION_REFUSED.isSuccess());
        assertEquals("connection refused", ReplyCode.CONNECTION_REFUSED.description());
    }
}
