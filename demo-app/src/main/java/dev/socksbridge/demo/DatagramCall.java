package dev.socksbridge.demo;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** One UDP datagram and its echo (metrics agents, DNS, syslog): SOCKS CONNECT never carries these. */
final class DatagramCall implements DemoCall {
    private final InetSocketAddress target;

    DatagramCall(InetSocketAddress target) {
        this.target = target;
    }

    @Override
    public String name() {
        return "udp";
    }

    @Override
    public InetSocketAddress target() {
        return target;
    }

    @Override
    public String call() throws IOException {
        byte[] request = "PING from udp".getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(Timeouts.readMillis());
            socket.send(new DatagramPacket(request, request.length, target));
            DatagramPacket echo = new DatagramPacket(new byte[512], 512);
            socket.receive(echo);
            return "echoed " + echo.getLength() + " bytes";
        }
    }
}
