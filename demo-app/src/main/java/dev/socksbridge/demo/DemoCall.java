package dev.socksbridge.demo;

import java.net.InetSocketAddress;

/**
 * One outbound call the demo makes, the way some real service would make it. {@link #call()} returns a
 * short description of what came back; any exception is the call's result too, and is printed as is.
 */
interface DemoCall {

    /** A short, stable label printed at the start of the line (tests match on it). */
    String name();

    /** Where the call goes, as the app names it. */
    InetSocketAddress target();

    String call() throws Exception;
}
