package dev.socksbridge.proxy.protocol;

import static dev.socksbridge.proxy.protocol.ProtocolAssertions.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class Socks4RequestTest {

    @Test
    void decodesASocks4ConnectWithItsUserId() throws IOException {
        //                                        VN CD DSTPORT DSTIP        USERID ("alice") NULL
        Socks4Request request = Socks4Request.decode(Hex.stream("04 01 00 50 7f 00 00 01 616c696365 00"));
        assertEquals(Socks4Command.CONNECT, request.command());
        assertFalse(request.isSocks4a());
        assertEquals("alice", request.userId());
        assertEquals("127.0.0.1 80", hostPort(request.destination()));
        assertEquals("04 01 00 50 7f 00 00 01 61 6c 69 63 65 00", Hex.of(request.encode()));
    }

    @Test
    void decodesASocks4aHostNameAfterAnEmptyUserId() throws IOException {
        //                                        VN CD DSTPORT DSTIP 0.0.0.1  USERID NULL  HOST ("example.com") NULL
        Socks4Request request = Socks4Request.decode(Hex.stream("04 01 01 bb 00 00 00 01  00  6578616d706c652e636f6d 00"));
        assertTrue(request.isSocks4a());
        assertEquals("", request.userId());
        assertEquals("example.com 443", hostPort(request.destination()));
        assertEquals("04 01 01 bb 00 00 00 01 00 65 78 61 6d 70 6c 65 2e 63 6f 6d 00", Hex.of(request.encode()));
    }

    @Test
    void decodesBindAndEdgePorts() throws IOException {
        Socks4Request bind = Socks4Request.decode(Hex.stream("04 02 ff ff 0a 00 00 02 00"));
        assertEquals(Socks4Command.BIND, bind.command());
        assertEquals("10.0.0.2 65535", hostPort(bind.destination()));
        assertEquals(1, Socks4Request.decode(Hex.stream("04 01 00 01 0a 00 00 02 00")).destination().getPort());
    }

    @Test
    void rejectsWhatItCannotServeWithCd5b() {
        // an unknown command, after reading the whole request
        assertRejected("00 5b 00 00 00 00 00 00", () -> Socks4Request.decode(Hex.stream("04 03 00 50 7f 00 00 01 00")));
        // a USERID longer than 255 bytes
        assertRejected("00 5b 00 00 00 00 00 00",
                () -> Socks4Request.decode(Hex.stream("04 01 00 50 7f 00 00 01" + " 61".repeat(256) + " 00")));
        // SOCKS4a with an empty host name
        assertRejected("00 5b 00 00 00 00 00 00", () -> Socks4Request.decode(Hex.stream("04 01 00 50 00 00 00 07 00 00")));
    }

    @Test
    void wrongVersionOrTruncatedInputIsClosedWithoutReply() {
        assertRejected("", () -> Socks4Request.decode(Hex.stream("05 01 00 50 7f 00 00 01 00")));
        assertRejected("", () -> Socks4Request.decode(Hex.stream("04 01 00 50 7f 00")));
        assertRejected("", () -> Socks4Request.decode(Hex.stream("04 01 00 50 7f 00 00 01 61 62"))); // no NULL
        assertRejected("", () -> Socks4Request.decode(Hex.stream("04 01 00 50 00 00 00 01 00 61 62"))); // 4a, no NULL
    }

    @Test
    void repliesCarryVn0AndAnIpv4Address() throws IOException {
        InetSocketAddress bound = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000);
        //                     VN CD DSTPORT DSTIP
        assertEquals("00 5a 9c 40 7f 00 00 01", Hex.of(Socks4Reply.granted(bound).encode()));
        assertEquals("00 5a 9c 40 00 00 00 00", Hex.of(Socks4Reply.granted(
                new InetSocketAddress(InetAddress.getByName("::1"), 40000)).encode()));
        assertEquals("00 5b 00 00 00 00 00 00", Hex.of(Socks4Reply.rejected().encode()));
        Socks4Reply decoded = Socks4Reply.decode(Hex.stream("00 5a 9c 40 7f 00 00 01"));
        assertTrue(decoded.isGranted());
        assertEquals(40000, decoded.port());
    }

    /** Host and port without resolving the name. */
    private static String hostPort(InetSocketAddress address) {
        return address.getHostString() + " " + address.getPort();
    }
}
