package dev.socksbridge.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The fault hook of one relay direction: the relay hands it every chunk it read and the end of stream;
 * it writes the chunk (or part of it, or nothing) as the faults in force say, on the relay's own thread.
 * Only that thread calls it. With no fault in the table a chunk costs one volatile read.
 *
 * <p>Of each type, the first matching fault in the table applies. Order within a chunk: {@code reset_peer},
 * {@code timeout}, {@code latency}, {@code limit_data}, then the write paced by {@code bandwidth} and
 * {@code slicer}.
 */
public final class ChunkShaper {

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final FaultSession session;
    private final boolean up;
    private final Socket from;
    private final Socket to;
    /** Bytes this direction relayed, for {@code limit_data}. */
    private long relayed;
    /** {@code timeout}: when the first chunk it stopped arrived; -1 while nothing is held. */
    private long holdStartNanos = -1;

    ChunkShaper(FaultSession session, boolean up, Socket from, Socket to) {
        this.session = session;
        this.up = up;
        this.from = from;
        this.to = to;
    }

    /** Relays {@code len} bytes of {@code chunk} to {@code out} as the faults say; returns the bytes written. */
    public int relay(byte[] chunk, int off, int len, OutputStream out) throws IOException {
        Fault[] all = session.table().snapshot();
        if (all.length == 0) {
            out.write(chunk, off, len);
            relayed += len;
            return len;
        }
        return shaped(new Applicable(all), chunk, off, len, out);
    }

    /** Before the relay passes an end of stream on: {@code slow_close} waits here. */
    public void endOfStream() throws IOException {
        for (Fault fault : session.table().snapshot()) {
            if (fault.type() == FaultType.SLOW_CLOSE && session.applies(fault, up)) {
                session.touch(FaultType.SLOW_CLOSE);
                Pause.sleep(TimeUnit.MILLISECONDS.toNanos(fault.value(0)), from, to);
                return;
            }
        }
    }

    private int shaped(Applicable faults, byte[] chunk, int off, int len, OutputStream out) throws IOException {
        if (faults.resetPeer != null
                && System.nanoTime() - session.since(faults.resetPeer) >= millis(faults.resetPeer.value(0))) {
            session.resetClient();
        }
        if (faults.timeout != null) {
            return stop(faults.timeout);
        }
        holdStartNanos = -1;
        if (faults.latency != null) {
            session.touch(FaultType.LATENCY);
            Pause.sleep(latencyNanos(faults.latency), from, to);
        }
        int length = len;
        boolean limitReached = false;
        if (faults.limitData != null) {
            long left = Math.max(0, faults.limitData.value(0) - relayed);
            if (left <= length) {
                length = (int) left;
                limitReached = true;
            }
        }
        writePaced(chunk, off, length, out, faults.bandwidth, faults.slicer);
        relayed += length;
        if (limitReached) {
            session.touch(FaultType.LIMIT_DATA);
            to.shutdownOutput(); // what was relayed arrives before the close
            throw new FaultCutoff("limit_data: " + faults.limitData.value(0) + " bytes relayed " + (up ? "up" : "down"),
                    length);
        }
        return length;
    }

    /**
     * {@code timeout}: the chunk is not relayed. With {@code timeout=0} the relay waits while the fault is in
     * force, then drops the chunk (as Toxiproxy does); otherwise it closes the connection {@code timeout} ms
     * after the first chunk it stopped, unless the fault is removed first.
     */
    private int stop(Fault timeout) throws IOException {
        session.touch(FaultType.TIMEOUT);
        long now = System.nanoTime();
        if (holdStartNanos < 0) {
            holdStartNanos = now;
        }
        long limit = timeout.value(0);
        long deadline = limit == 0 ? Long.MAX_VALUE : holdStartNanos + millis(limit);
        if (Pause.waitWhile(deadline, () -> session.stillApplies(timeout), from, to) && limit > 0) {
            throw new FaultCutoff("timeout: closed after " + limit + "ms");
        }
        return 0;
    }

    private void writePaced(byte[] chunk, int off, int len, OutputStream out, Fault bandwidth, Fault slicer)
            throws IOException {
        if (bandwidth == null && slicer == null) {
            out.write(chunk, off, len);
            return;
        }
        long bytesPerSecond = bandwidth == null ? 0 : bandwidth.value(0) * 1024;
        int end = off + len;
        for (int pos = off; pos < end; ) {
            int piece = Math.min(end - pos, slicer != null ? sliceSize(slicer) : tenthOfASecond(bytesPerSecond));
            out.write(chunk, pos, piece);
            pos += piece;
            long pause = 0;
            if (bandwidth != null) {
                session.touch(FaultType.BANDWIDTH);
                pause += piece * NANOS_PER_SECOND / bytesPerSecond;
            }
            if (slicer != null) {
                session.touch(FaultType.SLICER);
                pause += pos < end ? TimeUnit.MICROSECONDS.toNanos(slicer.value(2)) : 0;
            }
            if (pause > 0) {
                Pause.sleep(pause, from, to);
            }
        }
    }

    /** Bandwidth is paced in pieces of a tenth of a second's worth, so the rate holds within a chunk. */
    private static int tenthOfASecond(long bytesPerSecond) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytesPerSecond / 10));
    }

    private static int sliceSize(Fault slicer) {
        long average = slicer.value(0);
        long variation = slicer.value(1);
        long size = variation == 0 ? average
                : average + ThreadLocalRandom.current().nextLong(-variation, variation + 1);
        return (int) Math.max(1, size);
    }

    private static long latencyNanos(Fault latency) {
        long base = latency.value(0);
        long jitter = latency.value(1);
        long ms = jitter == 0 ? base : base + ThreadLocalRandom.current().nextLong(-jitter, jitter + 1);
        return millis(Math.max(0, ms));
    }

    private static long millis(long ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }

    /** The first applicable fault of each byte type for this chunk. */
    private final class Applicable {
        Fault latency;
        Fault bandwidth;
        Fault timeout;
        Fault resetPeer;
        Fault slicer;
        Fault limitData;

        Applicable(Fault[] all) {
            for (Fault fault : all) {
                if (session.applies(fault, up)) {
                    take(fault);
                }
            }
        }

        private void take(Fault fault) {
            switch (fault.type()) {
                case LATENCY -> latency = latency == null ? fault : latency;
                case BANDWIDTH -> bandwidth = bandwidth == null ? fault : bandwidth;
                case TIMEOUT -> timeout = timeout == null ? fault : timeout;
                case RESET_PEER -> resetPeer = resetPeer == null ? fault : resetPeer;
                case SLICER -> slicer = slicer == null ? fault : slicer;
                case LIMIT_DATA -> limitData = limitData == null ? fault : limitData;
                default -> { } // slow_close acts at the end of stream; connect faults before the connect
            }
        }
    }
}
