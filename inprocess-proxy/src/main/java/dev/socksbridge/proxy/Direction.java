package dev.socksbridge.proxy;

import java.io.IOException;

/**
 * One of a session's two long-running halves (a relay direction, a BIND's client side, a UDP
 * association's datagram loop or its control connection). Returns normally when its side ended
 * cleanly; throws to tear the whole session down.
 */
interface Direction {

    void run() throws IOException;
}
