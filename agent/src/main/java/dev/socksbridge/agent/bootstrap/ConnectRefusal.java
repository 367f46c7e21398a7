package dev.socksbridge.agent.bootstrap;

import java.net.ConnectException;
import java.net.InetSocketAddress;

/**
 * A connect the agent cannot route in {@code mode=enforce} (the proxy at its session limit, a registration
 * that failed): the connect's entry advice returns this, its body is skipped ({@code skipOn}), so no system
 * call is made, and its exit fails it ({@link #fail()}), where and how a failed connect of that
 * kind fails (thrown by a channel's or Netty's connect, handed to an asynchronous channel's handler).
 */
public final class ConnectRefusal {

    private final CallerTag tag;
    private final InetSocketAddress destination;
    private final String why;

    ConnectRefusal(CallerTag tag, InetSocketAddress destination, String why) {
        this.tag = tag;
        this.destination = destination;
        this.why = why;
    }

    /**
     * Reports the refused connect (route direct, the reason as its failure) and returns what the app's
     * connect fails with: a {@code ConnectException} naming socksbridge and the reason.
     */
    ConnectException fail() {
        ConnectException refused = new ConnectException("Connection refused by socksbridge (mode=enforce): " + why);
        new Redirects.DirectConnect(tag, destination, Redirects.notProxied(why)).report(refused);
        return refused;
    }
}
