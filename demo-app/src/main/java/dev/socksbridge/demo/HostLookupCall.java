package dev.socksbridge.demo;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A host name lookup: services resolve names long before (and apart from) connecting. */
final class HostLookupCall implements DemoCall {
    private final String host;

    HostLookupCall(String host) {
        this.host = host;
    }

    @Override
    public String name() {
        return "dns-lookup";
    }

    @Override
    public InetSocketAddress target() {
        return InetSocketAddress.createUnresolved(host, 0);
    }

    @Override
    public String call() throws UnknownHostException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        return "resolved to " + Arrays.stream(addresses).map(InetAddress::getHostAddress).collect(Collectors.joining(" "));
    }
}
