package dev.socksbridge.junit;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JVM-wide recording set-up, shared by every running {@link Socksbridge} test and counted: the first
 * lease starts it (the agent's recordings when the agent is loaded, else an in-process server), the last
 * one to close stops it and restores the JVM's proxy settings.
 */
final class Capture {

    /** Where recordings come from. */
    interface Source extends AutoCloseable {
        String describe();

        /**
         * Puts a fault in force JVM-wide; returns the token to remove it with.
         *
         * @throws IllegalArgumentException for a malformed spec
         */
        Object addFault(String spec);

        void removeFault(Object token);

        @Override
        void close();
    }

    /** One user of the capture; closing it twice is harmless. */
    static final class Lease implements AutoCloseable {
        private final boolean includeLoopback;
        private boolean closed;

        private Lease(boolean includeLoopback) {
            this.includeLoopback = includeLoopback;
        }

        @Override
        public void close() {
            synchronized (Capture.class) {
                if (!closed) {
                    closed = true;
                    release(this);
                }
            }
        }
    }

    private static Source source;
    private static int leases;
    /** Read by the proxy selector on every connecting thread, so without the lock. */
    private static volatile int loopbackLeases;

    private Capture() {
    }

    /** @param includeLoopback route loopback destinations through the in-process server while this lease is held */
    static synchronized Lease acquire(boolean includeLoopback) {
        if (source == null) {
            source = start();
        }
        leases++;
        if (includeLoopback) {
            loopbackLeases++;
        }
        return new Lease(includeLoopback);
    }

    private static Source start() {
        Source agent = AgentCapture.tryStart(ConnectionRecorder.INSTANCE);
        if (agent != null) {
            return agent;
        }
        try {
            return new InProcessCapture(ConnectionRecorder.INSTANCE, Capture::routesLoopback);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "@Socksbridge: could not start the in-process SOCKS5 server on a loopback port", e);
        }
    }

    private static boolean routesLoopback() {
        return loopbackLeases > 0;
    }

    private static void release(Lease lease) {
        leases--;
        if (lease.includeLoopback) {
            loopbackLeases--;
        }
        if (leases == 0 && source != null) {
            Source stopping = source;
            source = null;
            stopping.close();
        }
    }

    /** The running source, for faults; only while a lease is held. */
    static synchronized Source source() {
        if (source == null) {
            throw new IllegalStateException("@Socksbridge: no test is running");
        }
        return source;
    }

    /** What is recording now, for messages; {@code "nothing"} when no lease is held. */
    static synchronized String describe() {
        return source == null ? "nothing" : source.describe();
    }
}
