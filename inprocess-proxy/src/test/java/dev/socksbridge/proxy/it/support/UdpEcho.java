package dev.socksbridge.proxy.it.support;

import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A UDP echo server on 127.0.0.1, port 0, that remembers every payload it received (as text). */
public final class UdpEcho implements Closeable {

    private final DatagramSocket socket;
    private final Thread thread;
    private final List<String> received = new CopyOnWriteArrayList<>();

    private UdpEcho(DatagramSocket socket) {
        this.socket = socket;
        this.thread = new Thread(this::loop, "test-udp-echo-" + socket.getLocalPort());
        thread.setDaemon(true);
    }

    public static UdpEcho start() throws IOException {
        UdpEcho echo = new UdpEcho(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        echo.thread.start();
        return echo;
    }

    private void loop() {
        byte[] buffer = new byte[65_535];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                received.add(new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8));
                socket.send(new DatagramPacket(buffer, 0, packet.getLength(), packet.getSocketAddress()));
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                received.add("error: " + e);
            }
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Payloads received so far, in order. */
    public List<String> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(Limits.IO.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
