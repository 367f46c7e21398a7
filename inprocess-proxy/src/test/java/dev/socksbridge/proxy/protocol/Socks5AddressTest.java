package dev.socksbridge.proxy.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Socks5AddressTest {

    @ParameterizedTest
    @CsvSource({
        "00000000000000000000000000000001, ::1",
        "00000000000000000000000000000000, ::",
        "20010db8000000000000000000000001, 2001:db8::1",
        "20010db8000000010000000000000001, 2001:db8:0:1::1",
        "20010db8000000000001000000000001, 2001:db8::1:0:0:1",
        "20010db8000100010001000100010001, 2001:db8:1:1:1:1:1:1",
        "20010db8000000010001000100010001, 2001:db8:0:1:1:1:1:1",
        "fe800000000000000000000000000000, fe80::",
        "00000000000000000000ffff7f000001, ::ffff:7f00:1"})
    void writesIpv6LiteralsInRfc5952Form(String hex, String text) {
        assertEquals(text, Socks5Address.ipv6(Hex.bytes(hex), 80).host());
    }

    @Test
    void choosesTheAddressTypeFromTheSocketAddress() throws Exception {
        assertEquals(AddressType.IPV4, Socks5Address.of(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 1)).type());
        assertEquals(AddressType.IPV6, Socks5Address.of(new InetSocketAddress(InetAddress.getByName("::1"), 1)).type());
        Socks5Address name = Socks5Address.of(InetSocketAddress.createUnresolved("example.com", 443));
        assertEquals(AddressType.DOMAIN, name.type());
        assertEquals("example.com", name.host());
    }

    @Test
    void constructorsNameTheBadField() {
        assertEquals("IPv4 address: 3 bytes (expected: 4)",
                assertThrows(IllegalArgumentException.class, () -> Socks5Address.ipv4(new byte[3], 1)).getMessage());
        assertEquals("IPv6 address: 4 bytes (expected: 16)",
                assertThrows(IllegalArgumentException.class, () -> Socks5Address.ipv6(new byte[4], 1)).getMessage());
        assertEquals("port: 65536 (expected: 0-65535)",
                assertThrows(IllegalArgumentException.class, () -> Socks5Address.ipv4(new byte[4], 65536)).getMessage());
        assertEquals("domain: \"\" (expected: 1-255 ISO-8859-1 bytes)",
                assertThrows(IllegalArgumentException.class, () -> Socks5Address.domain("", 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Socks5Address.domain("x".repeat(256), 1));
    }
}
