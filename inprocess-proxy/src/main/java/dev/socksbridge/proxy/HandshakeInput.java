package dev.socksbridge.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The client's input during the handshake: reads whatever has arrived in one call (a pipelining client
 * sends greeting, request and payload at once), refuses to read past the whole-handshake deadline
 * (a read already waiting then is ended by {@link HandshakeDeadlines}),
 * and afterwards hands the bytes it read past the request ({@link #leftover}) to the relay.
 * Not thread-safe and deliberately unsynchronized, unlike {@code BufferedInputStream}.
 */
final class HandshakeInput extends InputStream {

    private final InputStream in;
    private final long deadlineNanos;
    private final byte[] buffer;
    private int position;
    private int limit;

    HandshakeInput(Socket socket, byte[] buffer, long deadlineNanos) throws IOException {
        this.in = socket.getInputStream();
        this.buffer = buffer;
        this.deadlineNanos = deadlineNanos;
    }

    /** The next byte without consuming it, or -1 at end of stream. */
    int peek() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position] & 0xFF;
    }

    @Override
    public int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position == limit && !fill()) {
            return -1;
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return limit - position;
    }

    /** The buffer itself; bytes {@link #leftoverOffset()} to {@link #leftoverEnd()} were read but not consumed. */
    byte[] buffer() {
        return buffer;
    }

    int leftoverOffset() {
        return position;
    }

    int leftoverEnd() {
        return limit;
    }

    private boolean fill() throws IOException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("handshake timeout");
        }
        // No SO_TIMEOUT: HandshakeDeadlines closes the socket under a read that outlives the deadline.
        position = 0;
        limit = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            return false;
        }
        limit = n;
        return true;
    }
}
