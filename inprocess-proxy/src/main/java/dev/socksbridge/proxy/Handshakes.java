package dev.socksbridge.proxy;

import dev.socksbridge.proxy.protocol.ProtocolException;

/**
 * The one place that tells protocols apart by the client's first byte: 0x05 SOCKS5, 0x04 SOCKS4/4a,
 * an ASCII letter an HTTP request line (CONNECT). Anything else is closed without a word.
 */
final class Handshakes {

    private final Socks5Handshake socks5;
    private final Socks4Handshake socks4;
    private final HttpConnectHandshake http;

    Handshakes(Logins logins) {
        this.socks5 = new Socks5Handshake(logins);
        this.socks4 = new Socks4Handshake(logins.required());
        this.http = new HttpConnectHandshake(logins);
    }

    /** @param firstByte the client's first byte, or -1 if it closed without sending any */
    Handshake forFirstByte(int firstByte) throws ProtocolException {
        if (firstByte == 0x05) {
            return socks5;
        }
        if (firstByte == 0x04) {
            return socks4;
        }
        if ((firstByte >= 'A' && firstByte <= 'Z') || (firstByte >= 'a' && firstByte <= 'z')) {
            return http;
        }
        if (firstByte < 0) {
            throw ProtocolException.closeOnly("client closed before sending a byte");
        }
        throw ProtocolException.closeOnly(String.format(
                "first byte: 0x%02x (expected: 0x05 SOCKS5, 0x04 SOCKS4/4a or a letter starting an HTTP request)",
                firstByte));
    }
}
