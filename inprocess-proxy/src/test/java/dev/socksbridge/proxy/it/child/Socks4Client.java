package dev.socksbridge.proxy.it.child;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The JDK's own SOCKS client ({@code SocksSocketImpl}) in a child JVM started with
 * {@code -DsocksProxyVersion=4}, so it speaks SOCKS4 (sending {@code user.name} as USERID): connects to
 * an echo target through the proxy and prints {@code echo=...}, or {@code error=...} and exits 1.
 * args: proxyPort targetPort.
 */
public final class Socks4Client {

    private Socks4Client() {
    }

    public static void main(String[] args) {
        Proxy proxy = new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])));
        try (Socket socket = new Socket(proxy)) {
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 30_000);
            byte[] hello = "hello socks4".getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(hello);
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            System.out.println("echo=" + new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (Exception e) {
            System.out.println("error=" + e);
            System.exit(1);
        }
    }
}
