package dev.socksbridge.demo;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Sends every datagram back to where it came from. */
final class UdpEchoServer implements AutoCloseable {
    private final DatagramSocket socket;

    private UdpEchoServer(DatagramSocket socket) {
        this.socket = socket;
    }

    static UdpEchoServer start(InetAddress address) throws IOException {
        UdpEchoServer echo = new UdpEchoServer(new DatagramSocket(new InetSocketAddress(address, 0)));
        Daemons.start("udp-echo", echo::echoLoop);
        return echo;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void echoLoop() {
        byte[] buffer = new byte[2048];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return; // closed by close(), or broken: the udp call reports its own timeout
            }
            try {
                socket.send(new DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
            } catch (IOException e) {
                // One lost echo, as UDP may lose it: the caller's receive times out and says so.
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
