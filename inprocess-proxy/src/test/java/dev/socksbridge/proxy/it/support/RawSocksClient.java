package dev.socksbridge.proxy.it.support;

import static dev.socksbridge.proxy.it.support.Socks5Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/** A SOCKS5 client that writes exactly the bytes a test gives it and reads replies field by field. */
public final class RawSocksClient implements Closeable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawSocksClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawSocksClient connect(InetSocketAddress proxy) throws IOException {
        Socket socket = new Socket(Proxy.NO_PROXY);
        try {
            socket.setSoTimeout(Limits.IO_MILLIS);
            socket.connect(proxy, Limits.IO_MILLIS);
            return new RawSocksClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Connects and completes a no-auth CONNECT to {@code target}, asserting a success reply. */
    public static RawSocksClient relayTo(InetSocketAddress proxy, InetSocketAddress target) throws IOException {
        RawSocksClient client = connect(proxy);
        try {
            client.send(Socks5Bytes.greeting(Socks5Bytes.NO_AUTH));
            client.expect(0x05, 0x00);
            client.send(Socks5Bytes.connect(target));
            client.readReply().assertSucceeded();
            return client;
        } catch (IOException | RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    public Socket socket() {
        return socket;
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Writes {@code bytes} in one write call, then half-closes, on a thread of its own: for payloads too
     * big to write before reading (the echo comes back while we are still writing).
     */
    public CompletableFuture<Void> sendThenHalfCloseInBackground(byte[] bytes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread writer = new Thread(() -> {
            try {
                out.write(bytes);
                socket.shutdownOutput();
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, "test-raw-client-writer");
        writer.setDaemon(true);
        writer.start();
        return done;
    }

    /** Writes one byte per send call with Nagle off, so each byte leaves in its own TCP segment. */
    public void sendOneBytePerSegment(byte[] bytes) throws IOException {
        socket.setTcpNoDelay(true);
        for (byte b : bytes) {
            out.write(b);
            out.flush();
        }
    }

    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] read(int length) throws IOException {
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    /** Reads {@code expected.length} bytes and compares them with the expected unsigned values. */
    public void expect(int... expected) throws IOException {
        byte[] wanted = new byte[expected.length];
        for (int i = 0; i < expected.length; i++) {
            wanted[i] = (byte) expected[i];
        }
        byte[] actual = read(wanted.length);
        assertArrayEquals(wanted, actual, () -> "expected " + hex(wanted) + " but the server sent " + hex(actual));
    }

    /** Reads one RFC 1928 reply: VER REP RSV ATYP BND.ADDR BND.PORT. */
    public Reply readReply() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        byte[] head = read(4);
        raw.writeBytes(head);
        int atyp = head[3] & 0xFF;
        byte[] address = switch (atyp) {
            case Socks5Bytes.ATYP_IPV4 -> read(4);
            case Socks5Bytes.ATYP_IPV6 -> read(16);
            case Socks5Bytes.ATYP_DOMAIN -> read(in.readUnsignedByte());
            default -> fail("reply has ATYP " + atyp + " (expected 1, 3 or 4): " + hex(raw.toByteArray()));
        };
        if (atyp == Socks5Bytes.ATYP_DOMAIN) {
            raw.write(address.length);
        }
        raw.writeBytes(address);
        byte[] port = read(2);
        raw.writeBytes(port);
        return new Reply(raw.toByteArray(), head[0] & 0xFF, head[1] & 0xFF, head[2] & 0xFF, atyp, address,
                ((port[0] & 0xFF) << 8) | (port[1] & 0xFF));
    }

    /** Sends {@code text}, reads the same number of bytes back and asserts they are the same text. */
    public void assertEchoes(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        send(bytes);
        byte[] echoed = read(bytes.length);
        assertEquals(text, new String(echoed, StandardCharsets.UTF_8), "echo through the proxy");
    }

    /**
     * Asserts the server closes the connection (EOF, or a reset when it closed with our bytes unread)
     * without sending anything more, within {@link Limits#IO}.
     */
    public void assertClosedByServer() throws IOException {
        byte[] buffer = new byte[256];
        int n;
        try {
            n = in.read(buffer);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open for " + Limits.IO
                    + " (expected: it closes it)", e);
        } catch (SocketException e) {
            return; // reset: the server closed with bytes we sent still unread, which is a close too
        }
        if (n >= 0) {
            byte[] extra = Arrays.copyOf(buffer, n);
            fail("expected the server to close the connection, but it sent " + hex(extra));
        }
    }

    /** Reads until EOF; fails if the server does not end its side within {@link Limits#IO}. */
    public byte[] readToEof() throws IOException {
        try {
            return in.readAllBytes();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no EOF from the server within " + Limits.IO, e);
        }
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** One parsed RFC 1928 reply, with the exact bytes it arrived as. */
    public record Reply(byte[] raw, int version, int code, int reserved, int atyp, byte[] address, int port) {

        public void assertSucceeded() {
            assertEquals(0x05, version, () -> "reply VER in " + hex(raw));
            assertEquals(0x00, code, () -> "reply REP in " + hex(raw) + " (expected 0x00 succeeded)");
            assertEquals(0x00, reserved, () -> "reply RSV in " + hex(raw));
        }

        /** BND.ADDR/BND.PORT as an address; only for ATYP 1 and 4. */
        public InetSocketAddress bound() throws IOException {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        }

        /** A failure reply: VER 5, the code, RSV 0, and an all-zero IPv4 BND (RFC 1928 leaves it open). */
        public static byte[] failure(int code) {
            return new byte[] {0x05, (byte) code, 0x00, 0x01, 0, 0, 0, 0, 0, 0};
        }
    }
}
