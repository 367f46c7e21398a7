package dev.socksbridge.proxy;

import dev.socksbridge.proxy.protocol.Socks5Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one-line text of a {@link ConnectionEvent}, as the server logs it:
 * <pre>
 * conn#12 CONNECT api.example.com:443 -&gt; 93.184.216.34:443 ok up=512B down=4.1KiB 38ms client=127.0.0.1:50123 protocol=socks5
 * conn#13 CONNECT localhost:1 refused rep=0x05 up=0B down=0B 2ms client=127.0.0.1:50124 protocol=socks5 reason="ConnectException: Connection refused"
 * </pre>
 * Fields: id, command (or {@code -}), destination as the client named it (or {@code -}), {@code -> reached}
 * when connected, outcome, {@code rep=} when the session did not succeed and a reply was sent, bytes up
 * (client to target) and down, duration (omitted in the open event), client address, protocol, and a
 * quoted reason when there is one. HTTP CONNECT sessions show {@code status=403} instead of {@code rep=};
 * UDP associations add {@code datagrams-up=N datagrams-down=N dropped=N}; a user name the client gave
 * (never a password) is added as {@code user="..."}; a route other than direct as {@code via="..."}
 * ({@code via="socks5://127.0.0.1:1080 http://alice@127.0.0.1:3128"}, {@code via="block"}, a stand-in's
 * address); a connection faults acted on gets {@code faults=latency,reset_peer}. Callers may append their own
 * {@code key=value} fields.
 */
public final class EventFormat {

    private EventFormat() {
    }

    public static String line(ConnectionEvent event) {
        StringBuilder line = new StringBuilder(160);
        line.append("conn#").append(event.id()).append(' ');
        line.append(event.command() == null ? "-" : event.command().label().toUpperCase(Locale.ROOT)).append(' ');
        line.append(event.destination() == null ? "-" : event.destination().toString());
        if (event.reached() != null) {
            line.append(" -> ").append(address(event.reached()));
        }
        line.append(' ').append(event.outcome().label());
        if (event.outcome() != Outcome.OK && event.outcome() != Outcome.OPEN && event.replyCode() != null) {
            if (event.protocol() == Protocol.HTTP_CONNECT) {
                line.append(" status=").append(event.replyCode());
            } else {
                line.append(" rep=").append(String.format("0x%02x", event.replyCode()));
            }
        }
        if (event.bytesUp() != null && event.bytesDown() != null) {
            line.append(" up=").append(bytes(event.bytesUp())).append(" down=").append(bytes(event.bytesDown()));
        }
        if (event.duration() != null) {
            line.append(' ').append(duration(event.duration()));
        }
        line.append(" client=").append(event.client() == null ? "-" : address(event.client()));
        line.append(" protocol=").append(event.protocol() == null ? "-" : event.protocol().label());
        if (event.command() == Command.UDP_ASSOCIATE) {
            line.append(" datagrams-up=").append(event.datagramsUp())
                    .append(" datagrams-down=").append(event.datagramsDown())
                    .append(" dropped=").append(event.datagramsDropped());
        }
        if (event.via() != null && !"direct".equals(event.via())) {
            line.append(" via=\"").append(event.via()).append('"');
        }
        if (event.user() != null) {
            line.append(" user=\"").append(printable(event.user())).append('"');
        }
        if (!event.faults().isEmpty()) {
            line.append(" faults=").append(String.join(",", event.faults()));
        }
        if (event.failure() != null) {
            line.append(" reason=\"").append(event.failure().replace('"', '\'')).append('"');
        }
        return line.toString();
    }

    /** A user name as the client sent it, made safe for one quoted log field. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length() && i < 64; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f || c == '"' || c == '\\' ? '?' : c);
        }
        return out.toString();
    }

    /** 512B, 4.1KiB, 3.0MiB, 1.5GiB, 2.0TiB (binary units, one decimal). */
    public static String bytes(long count) {
        if (count < 1024) {
            return count + "B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = count;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        if (Math.round(value * 10) >= 10240 && unit < units.length - 1) { // 1023.97KiB prints as 1.0MiB
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f%s", value, units[unit]);
    }

    /** 38ms below 10 s, then 12.3s. */
    public static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 10_000) {
            return millis + "ms";
        }
        return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    /** The address reached as {@code ip:port}, or a lookup's addresses {@code |}-separated; {@code null} if none. */
    public static String resolved(ConnectionEvent event) {
        if (event.reached() != null && !event.reached().isUnresolved()) {
            return address(event.reached());
        }
        if (event.lookup() == null || event.lookup().addresses() == null) {
            return null;
        }
        return event.lookup().addresses().stream().map(InetAddress::getHostAddress).collect(Collectors.joining("|"));
    }

    /** host:port with the IP (IPv6 in RFC 5952 form, in brackets), or the unresolved host name. */
    public static String address(InetSocketAddress address) {
        if (address.isUnresolved()) {
            return new Destination(address.getHostString(), address.getPort()).toString();
        }
        return Socks5Address.of(address).toString();
    }
}
