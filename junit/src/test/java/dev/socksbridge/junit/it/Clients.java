package dev.socksbridge.junit.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/** What the sample tests' "application code" does: a plain java.net.Socket round trip. */
final class Clients {

    static final int TIMEOUT_MILLIS = 20_000;

    private Clients() {
    }

    /** Connects (through whatever the JVM's ProxySelector says), sends {@code text}, returns the echo. */
    static String echo(SocketAddress target, String text) {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.connect(target, TIMEOUT_MILLIS);
            socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("echo via " + target + " failed", e);
        }
    }

    /** The same destination, unresolved: the JDK then sends the name itself to a SOCKS proxy. */
    static InetSocketAddress unresolvedLocalhost(int port) {
        return InetSocketAddress.createUnresolved("localhost", port);
    }
}
