package dev.socksbridge.demo;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A classic blocking {@link Socket}: connect, send a line, read the echo back (JDBC drivers, Jedis, ...). */
final class SocketCall implements DemoCall {
    private final String name;
    private final InetSocketAddress target;

    SocketCall(String name, InetSocketAddress target) {
        this.name = name;
        this.target = target;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress target() {
        return target;
    }

    @Override
    public String call() throws IOException {
        byte[] request = ("PING from " + name + "\n").getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(Timeouts.readMillis());
            socket.connect(target, Timeouts.connectMillis());
            socket.getOutputStream().write(request);
            socket.shutdownOutput();
            byte[] echo = new DataInputStream(socket.getInputStream()).readNBytes(request.length);
            if (echo.length != request.length) {
                throw new IOException("echo: got " + echo.length + " of " + request.length + " bytes");
            }
            return "echoed " + echo.length + " bytes";
        }
    }
}
