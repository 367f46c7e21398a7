package dev.socksbridge.proxy.it;

import static dev.socksbridge.proxy.it.support.Socks5Bytes.ATYP_DOMAIN;
import static dev.socksbridge.proxy.it.support.Socks5Bytes.ATYP_IPV4;
import static dev.socksbridge.proxy.it.support.Socks5Bytes.CONNECT;
import static dev.socksbridge.proxy.it.support.Socks5Bytes.hex;
import static dev.socksbridge.proxy.it.support.Socks5Bytes.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.LoopbackServer;
import dev.socksbridge.proxy.it.support.RawSocksClient;
import dev.socksbridge.proxy.it.support.RawSocksClient.Reply;
import dev.socksbridge.proxy.it.support.Socks5Bytes;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed or unsupported frame gets the RFC's reply where there is one, then a close, and the
 * same server then serves a normal session. One server for the whole class: it must outlive them all.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestIT {

    private static final byte[] NO_REPLY = new byte[0];
    private static final byte[] LOOPBACK = {127, 0, 0, 1};

    private final EventRecorder events = new EventRecorder();
    private LoopbackServer echo;
    private Socks5Server server;

    /**
     * One bad input.
     *
     * @param afterNoAuthGreeting send a valid no-auth greeting first and expect 05 00
     * @param bytes               what the client sends next
     * @param thenEof             half-close after sending, so a truncated frame stays truncated
     * @param reply               the exact bytes the server must answer with before closing
     * @param outcome             the close event's outcome
     */
    record Case(String name, boolean afterNoAuthGreeting, byte[] bytes, boolean thenEof, byte[] reply, Outcome outcome) {
        @Override
        public String toString() {
            return name + ": " + hex(bytes) + (thenEof ? " EOF" : "") + " -> " + (reply.length == 0 ? "close" : hex(reply));
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("greeting with version 6", false, new byte[] {0x06, 0x01, 0x00}, false, NO_REPLY, Outcome.PROTOCOL_ERROR),
                new Case("greeting with NMETHODS 0", false, new byte[] {0x05, 0x00}, false, bytes(0x05, 0xFF), Outcome.PROTOCOL_ERROR),
                new Case("greeting offering only GSSAPI", false, new byte[] {0x05, 0x01, 0x01}, false, bytes(0x05, 0xFF), Outcome.AUTH_FAILED),
                new Case("greeting truncated", false, new byte[] {0x05, 0x03, 0x00}, true, NO_REPLY, Outcome.PROTOCOL_ERROR),
                new Case("request truncated in DST.ADDR", true, new byte[] {0x05, 0x01, 0x00, 0x01, 127, 0}, true, NO_REPLY, Outcome.PROTOCOL_ERROR),
                new Case("request with version 4", true, request4(), false, NO_REPLY, Outcome.PROTOCOL_ERROR),
                new Case("domain of length 0", true, request(CONNECT, ATYP_DOMAIN, new byte[] {0}, 80), false, Reply.failure(0x01), Outcome.PROTOCOL_ERROR),
                new Case("unknown ATYP 5", true, request(CONNECT, 0x05, LOOPBACK, 80), false, Reply.failure(0x08), Outcome.PROTOCOL_ERROR),
                new Case("unknown CMD 9", true, request(0x09, ATYP_IPV4, LOOPBACK, 80), false, Reply.failure(0x07), Outcome.PROTOCOL_ERROR),
                // Not 0x05 (SOCKS5), 0x04 (SOCKS4) or a letter (HTTP): no protocol to answer in.
                new Case("first byte 0x01", false, new byte[] {0x01, 0x02, 0x03}, false, NO_REPLY, Outcome.PROTOCOL_ERROR),
                new Case("SOCKS4 with unknown CD 3", false, new byte[] {0x04, 0x03, 0, 80, 127, 0, 0, 1, 0}, false,
                        bytes(0x00, 0x5B, 0, 0, 0, 0, 0, 0), Outcome.PROTOCOL_ERROR),
                new Case("HTTP GET in absolute form", false, "GET http://127.0.0.1/ HTTP/1.1\r\n\r\n".getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII), false, http405(), Outcome.PROTOCOL_ERROR));
    }

    @BeforeAll
    void start() throws IOException {
        echo = LoopbackServer.echo();
        server = Socks5Server.builder().listener(events).build().start();
    }

    @AfterAll
    void stop() throws IOException {
        server.close();
        echo.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isAnsweredAndClosedThenTheServerServesTheNextClient(Case bad) throws Exception {
        int clientPort;
        try (RawSocksClient client = RawSocksClient.connect(server.address())) {
            clientPort = client.socket().getLocalPort();
            if (bad.afterNoAuthGreeting()) {
                client.send(Socks5Bytes.greeting(Socks5Bytes.NO_AUTH));
                client.expect(0x05, 0x00);
            }
            client.send(bad.bytes());
            if (bad.thenEof()) {
                client.shutdownOutput();
            }
            byte[] answer = client.read(bad.reply().length);
            assertArrayEquals(bad.reply(), answer, () -> "expected " + hex(bad.reply()) + " but got " + hex(answer));
            client.assertClosedByServer();
        }
        ConnectionEvent closed = events.closeOf(clientPort);
        assertEquals(bad.outcome(), closed.outcome(), () -> "close event " + closed);
        try (RawSocksClient next = RawSocksClient.relayTo(server.address(), echo.address())) {
            next.assertEchoes("still serving after: " + bad.name());
        }
    }

    private static byte[] request4() {
        byte[] request = request(CONNECT, ATYP_IPV4, LOOPBACK, 80);
        request[0] = 0x04;
        return request;
    }

    /** The whole 405 this server answers a plain-HTTP request with (it only tunnels with CONNECT). */
    private static byte[] http405() {
        String body = "method: GET (expected: CONNECT; socksbridge tunnels with CONNECT and does not forward"
                + " plain-HTTP requests)\n";
        return ("HTTP/1.1 405 Method Not Allowed\r\nAllow: CONNECT\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
