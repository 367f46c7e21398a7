package dev.socksbridge.proxy.relay;

import dev.socksbridge.proxy.Credentials;
import dev.socksbridge.proxy.protocol.ProtocolException;

/**
 * The one place that tells protocols apart by the client's first byte. SOCKS5 (0x05) today; SOCKS4/4a
 * (0x04) and HTTP CONNECT ('C') slot in here.
 */
final class Handshakes {

    private final Socks5Handshake socks5;

    Handshakes(Credentials credentials) {
        this.socks5 = new Socks5Handshake(credentials);
    }

    /** @param firstByte the client's first byte, or -1 if it closed without sending any */
    Handshake forFirstByte(int firstByte) throws ProtocolException {
        if (firstByte == 0x05) {
            return socks5;
        }
        if (firstByte < 0) {
            throw ProtocolException.closeOnly("client closed before sending a byte");
        }
        throw ProtocolException.closeOnly(String.format("first byte: 0x%02x (expected: 0x05 for SOCKS5)", firstByte));
    }
}
