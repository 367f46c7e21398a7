package dev.socksbridge.proxy.it.support;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * For pgjdbc's {@code socketFactory} connection property: unconnected sockets through the SOCKS5 proxy named
 * by {@code socketFactoryArg} ({@code host:port}), as a driver behind a proxy makes them.
 */
public final class SocksSocketFactory extends SocketFactory {

    private final Proxy proxy;

    public SocksSocketFactory(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        this.proxy = new Proxy(Proxy.Type.SOCKS,
                new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
    }

    @Override
    public Socket createSocket() {
        return new Socket(proxy);
    }

    @Override
    public Socket createSocket(String host, int port) {
        throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
        throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
        throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
    }
}
