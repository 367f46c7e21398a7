package dev.socksbridge.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A blocking NIO {@link SocketChannel}, as Netty, Lettuce and Vert.x use it: the JDK's proxy settings
 * never apply to channels. SocketChannel has no read timeout, so the echo is read through its socket
 * adaptor, which honours SO_TIMEOUT.
 */
final class NioChannelCall implements DemoCall {
    private final InetSocketAddress target;

    NioChannelCall(InetSocketAddress target) {
        this.target = target;
    }

    @Override
    public String name() {
        return "nio-channel";
    }

    @Override
    public InetSocketAddress target() {
        return target;
    }

    @Override
    public String call() throws IOException {
        byte[] request = "PING from nio-channel\n".getBytes(StandardCharsets.US_ASCII);
        try (SocketChannel channel = SocketChannel.open()) {
            channel.socket().connect(target, Timeouts.connectMillis());
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                channel.write(out);
            }
            channel.shutdownOutput();
            channel.socket().setSoTimeout(Timeouts.readMillis());
            byte[] echo = channel.socket().getInputStream().readNBytes(request.length);
            if (echo.length != request.length) {
                throw new IOException("echo: got " + echo.length + " of " + request.length + " bytes");
            }
            return "echoed " + echo.length + " bytes";
        }
    }
}
