package dev.socksbridge.proxy.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HttpRequestHeadTest {

    private static InputStream text(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsTheHeadAndNotOneByteOfTheTunnel() throws IOException {
        InputStream in = text("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n"
                + "proxy-authorization:  Basic YWxpY2U6czNjcmV0 \r\n\r\nTUNNEL");
        HttpRequestHead head = HttpRequestHead.decode(in, HttpRequestHead.DEFAULT_MAX_BYTES);
        assertEquals("CONNECT", head.method());
        assertEquals("example.com 443", hostPort(head.authority()));
        assertEquals("Basic YWxpY2U6czNjcmV0", head.header("Proxy-Authorization"));
        assertNull(head.header("User-Agent"));
        assertEquals("TUNNEL", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void toleratesBareLineFeeds() throws IOException {
        HttpRequestHead head = HttpRequestHead.decode(text("CONNECT 10.0.0.1:22 HTTP/1.0\n\n"), 100);
        assertEquals("10.0.0.1 22", hostPort(head.authority()));
        assertEquals("HTTP/1.0", head.version());
    }

    @ParameterizedTest
    @CsvSource({"[::1]:8443, ::1, 8443", "Example.COM:1, example.com, 1", "host:65535, host, 65535"})
    void parsesAuthorityForms(String target, String host, int port) throws IOException {
        HttpRequestHead head = HttpRequestHead.decode(text("CONNECT " + target + " HTTP/1.1\r\n\r\n"), 1000);
        assertEquals(host + " " + port, hostPort(head.authority()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "example.com:", ":443", "example.com:65536", "[::1]", "[::1]443",
        "::1:443", "user@host:443", "http://host:80", "host:8o"})
    void aTargetThatIsNoAuthorityIs400(String target) throws IOException {
        HttpRequestHead head = HttpRequestHead.decode(text("CONNECT " + target + " HTTP/1.1\r\n\r\n"), 1000);
        ProtocolException e = assertThrows(ProtocolException.class, head::authority);
        assertEquals(400, e.replyCode());
        assertTrue(status(e).startsWith("HTTP/1.1 400 Bad Request\r\n"), status(e));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CONNECT host:1\r\n\r\n", "CONNECT  host:1 HTTP/1.1\r\n\r\n", "CONNECT host:1 SPDY/3\r\n\r\n",
        "CONNECT host:1 HTTP/1.1\r\nno colon\r\n\r\n", "CONNECT host:1 HTTP/1.1\r\n folded: x\r\n\r\n"})
    void malformedHeadsAre400(String request) {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> HttpRequestHead.decode(text(request), 1000));
        assertEquals(400, e.replyCode(), e.getMessage());
        assertTrue(status(e).contains("Connection: close\r\n"), status(e));
    }

    @Test
    void aHeadOverTheLimitIs431AndATruncatedOneJustCloses() {
        String big = "CONNECT host:1 HTTP/1.1\r\nX-Big: " + "x".repeat(200) + "\r\n\r\n";
        assertEquals(431, assertThrows(ProtocolException.class,
                () -> HttpRequestHead.decode(text(big), 100)).replyCode());
        ProtocolException truncated = assertThrows(ProtocolException.class,
                () -> HttpRequestHead.decode(text("CONNECT host:1 HTTP/1.1\r\nHost: x\r\n"), 1000));
        assertEquals(-1, truncated.replyCode());
    }

    @Test
    void otherMethodsAre405NamingConnect() {
        ProtocolException e = HttpResponse.methodNotAllowed("GET");
        assertEquals(405, e.replyCode());
        assertTrue(status(e).startsWith("HTTP/1.1 405 Method Not Allowed\r\nAllow: CONNECT\r\n"), status(e));
        assertTrue(status(e).contains("does not forward plain-HTTP requests"), status(e));
    }

    @Test
    void responsesAndStatusMapping() {
        assertEquals("HTTP/1.1 200 Connection established\r\n\r\n",
                new String(HttpResponse.established(), StandardCharsets.ISO_8859_1));
        String auth = new String(HttpResponse.proxyAuthenticationRequired(), StandardCharsets.ISO_8859_1);
        assertTrue(auth.startsWith("HTTP/1.1 407 Proxy Authentication Required\r\n"
                + "Proxy-Authenticate: Basic realm=\"socksbridge\"\r\n"), auth);
        assertTrue(auth.endsWith("\r\n\r\nproxy authentication required\n"), auth);
        assertEquals(403, HttpResponse.statusFor(ReplyCode.NOT_ALLOWED));
        assertEquals(502, HttpResponse.statusFor(ReplyCode.CONNECTION_REFUSED));
        assertEquals(502, HttpResponse.statusFor(ReplyCode.HOST_UNREACHABLE));
        assertEquals(502, HttpResponse.statusFor(ReplyCode.GENERAL_FAILURE));
        assertEquals(504, HttpResponse.statusFor(ReplyCode.TTL_EXPIRED));
    }

    @Test
    void basicCredentialsAreParsedAndNeverPrinted() {
        BasicCredentials basic = BasicCredentials.parse("Basic YWxpY2U6czNjOnJldA=="); // alice:s3c:ret
        assertEquals("alice", basic.username());
        assertEquals("s3c:ret", new String(basic.password(), StandardCharsets.UTF_8));
        assertEquals("BasicCredentials[username=alice, password=***]", basic.toString());
        assertEquals("alice", BasicCredentials.parse("basic YWxpY2U6czNjOnJldA==").username());
        assertNull(BasicCredentials.parse(null));
        assertNull(BasicCredentials.parse("Bearer abc"));
        assertNull(BasicCredentials.parse("Basic !!!"));
        assertNull(BasicCredentials.parse("Basic YWxpY2U=")); // "alice", no colon
    }

    private static String status(ProtocolException e) {
        return new String(e.response(), StandardCharsets.ISO_8859_1);
    }

    /** Host and port without resolving the name. */
    private static String hostPort(InetSocketAddress address) {
        return address.getHostString() + " " + address.getPort();
    }
}
