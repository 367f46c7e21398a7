package dev.socksbridge.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * One relay direction: copy until end of stream, then shut down the other side's output (half-close).
 *
 * <p>Starts with a small buffer and grows it (x4, up to the configured size) only when a read fills it,
 * so an idle or chatty session costs about a kilobyte per direction while a bulk transfer quickly gets
 * full-size reads.
 */
final class Pump implements Direction {

    /** Enough for any SOCKS5 handshake message; a relay that moves more grows its buffer on the first full read. */
    static final int INITIAL_BUFFER = 512;

    private final Socket from;
    private final Socket to;
    private final int maxBuffer;
    private final Session session;
    private byte[] buffer;
    private int pendingOffset;
    private int pendingEnd;
    private long bytes;
    /** Set once the end of stream was passed on: read by a thread closing the session (see {@link #ended}). */
    private volatile boolean ended;
    /** The fault hook ({@code Builder.faults}); null where faults never apply (BIND). */
    private ChunkShaper shaper;

    /**
     * @param initialBuffer the first buffer; its bytes {@code pendingOffset..pendingEnd} are written to
     *                      {@code to} before anything is read (what the client pipelined after its request)
     */
    Pump(Socket from, Socket to, byte[] initialBuffer, int pendingOffset, int pendingEnd, int maxBuffer,
            Session session) {
        this.from = from;
        this.to = to;
        this.buffer = initialBuffer;
        this.pendingOffset = pendingOffset;
        this.pendingEnd = pendingEnd;
        this.maxBuffer = maxBuffer;
        this.session = session;
    }

    /** Every chunk and the end of stream pass through {@code shaper} (set before {@link #run}). */
    void shaper(ChunkShaper shaper) {
        this.shaper = shaper;
    }

    /** Bytes written so far; read it only after {@link #run} returned (or from the thread running it). */
    long bytes() {
        return bytes;
    }

    /** Whether this direction copied everything and passed the end of stream on: nothing of it can fail now. */
    boolean ended() {
        return ended;
    }

    /** Writes the pending bytes, then copies. Returns normally on end of stream; throws to tear the session down. */
    @Override
    public void run() throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        if (pendingEnd > pendingOffset) {
            bytes += write(out, pendingOffset, pendingEnd - pendingOffset);
            pendingOffset = pendingEnd;
        }
        while (true) {
            int n;
            try {
                n = in.read(buffer, 0, buffer.length);
            } catch (SocketTimeoutException e) {
                if (session.idleExpired()) {
                    throw e;
                }
                continue; // the other direction was busy; keep waiting
            }
            if (n < 0) {
                if (shaper != null) {
                    shaper.endOfStream();
                }
                ended = true; // before the half-close: once the peer sees it, a close must find this set
                halfClose();
                return;
            }
            bytes += write(out, 0, n);
            session.touch();
            if (n == buffer.length && buffer.length < maxBuffer) {
                buffer = new byte[Math.min(maxBuffer, buffer.length * 4)];
            }
        }
    }

    private int write(OutputStream out, int offset, int length) throws IOException {
        if (shaper != null) {
            try {
                return shaper.relay(buffer, offset, length, out);
            } catch (FaultCutoff e) {
                bytes += e.relayed(); // limit_data wrote part of the chunk before it closed
                throw e;
            }
        }
        out.write(buffer, offset, length);
        return length;
    }

    private void halfClose() {
        try {
            to.shutdownOutput();
        } catch (IOException e) {
            // The peer is already gone; the other direction will notice on its own.
        }
    }
}
