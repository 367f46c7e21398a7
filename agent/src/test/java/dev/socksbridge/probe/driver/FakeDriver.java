package dev.socksbridge.probe.driver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Stands in for a JDBC driver: a library class in its own package that opens the socket itself, two
 * calls deep, so the "caller" is only right when the driver's package is excluded with caller-exclude=.
 */
public final class FakeDriver {

    private FakeDriver() {
    }

    /** Connects, sends a "login packet" and reads the echo back, like a driver's handshake. */
    public static int connect(String host, int port, byte[] loginPacket) throws IOException {
        try (Socket socket = openSocket(host, port)) {
            OutputStream out = socket.getOutputStream();
            out.write(loginPacket);
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            return in.readAllBytes().length;
        }
    }

    private static Socket openSocket(String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 10_000);
        return socket;
    }
}
