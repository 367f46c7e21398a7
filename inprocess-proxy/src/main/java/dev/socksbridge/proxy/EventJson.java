package dev.socksbridge.proxy;

import dev.socksbridge.proxy.ConnectionEvent.Builder;
import dev.socksbridge.proxy.ConnectionEvent.Frame;
import dev.socksbridge.proxy.ConnectionEvent.Lookup;
import dev.socksbridge.proxy.ConnectionEvent.Route;
import dev.socksbridge.proxy.ConnectionEvent.Verdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The JSON form of a {@link ConnectionEvent}, and the one place that names its keys. The agent writes its
 * {@code events=} lines and the maps it hands to in-JVM subscribers ({@code AgentEvents}) with it; the JUnit
 * extension reads those maps back with it. Keys and order are the {@code events=} schema of the README, plus
 * {@link #SESSION} in the maps. Map values are JSON-ready: String, Long, Integer, Boolean or {@code null}.
 * A new field is one line in {@link #FIELDS} (and a component and a builder line in the record).
 */
public final class EventJson {

    /** Joins the open and close maps of one proxied connection; in the maps only, not in the events file. */
    public static final String SESSION = "session";

    /** Writes a key's value; reads it (with the keys after it whose {@code read} is null) into a builder. */
    private record Field(String key, Function<ConnectionEvent, Object> write,
            BiConsumer<Builder, Map<String, ?>> read) {
    }

    private static final List<Field> FIELDS = List.of(
            one("id", ConnectionEvent::id, (b, v) -> b.id(number(v))),
            one("start", e -> e.start().toString(), (b, v) -> b.start(Instant.parse((String) v))),
            one("route", e -> e.route().label(),
                    (b, v) -> b.route(label(Route.values(), Route::label, v, Route.PROXY))),
            one("protocol", e -> map(e.protocol(), Protocol::label),
                    (b, v) -> b.protocol(label(Protocol.values(), Protocol::label, v, null))),
            one("command", e -> map(e.command(), Command::label),
                    (b, v) -> b.command(label(Command.values(), Command::label, v, null))),
            new Field("target_host",
                    e -> e.destination() != null ? e.destination().host() : map(e.lookup(), Lookup::host),
                    EventJson::readTarget),
            new Field("target_port", e -> map(e.destination(), Destination::port), null),
            new Field("resolved", EventFormat::resolved, null),
            one("outcome", e -> e.outcome().label(),
                    (b, v) -> b.outcome(label(Outcome.values(), Outcome::label, v, Outcome.FAILED))),
            one("reply_code", ConnectionEvent::replyCode, (b, v) -> b.replyCode(map(number(v), Long::intValue))),
            one("bytes_up", ConnectionEvent::bytesUp, (b, v) -> b.bytesUp(number(v))),
            one("bytes_down", ConnectionEvent::bytesDown, (b, v) -> b.bytesDown(number(v))),
            one("duration_ms", e -> map(e.duration(), Duration::toMillis),
                    (b, v) -> b.duration(map(number(v), Duration::ofMillis))),
            one("policy", e -> map(e.policy(), Verdict::label),
                    (b, v) -> b.policy(label(Verdict.values(), Verdict::label, v, null))),
            new Field("caller_class", e -> map(e.caller(), Frame::className), (b, m) -> b.caller(frame(m))),
            new Field("caller_method", e -> map(e.caller(), Frame::methodName), null),
            new Field("caller_file", e -> map(e.caller(), Frame::fileName), null),
            new Field("caller_line", e -> map(e.caller(), Frame::line), null),
            one("thread", ConnectionEvent::thread, (b, v) -> b.thread((String) v)),
            one("virtual", e -> e.thread() == null ? null : e.virtualThread(),
                    (b, v) -> b.virtualThread(Boolean.TRUE.equals(v))),
            one("failure", ConnectionEvent::failure, (b, v) -> b.failure((String) v)),
            one("via", ConnectionEvent::via, (b, v) -> b.via((String) v)),
            one("faults", e -> e.faults().isEmpty() ? null : String.join(",", e.faults()),
                    (b, v) -> b.faults(v == null ? List.of() : List.of(((String) v).split(",")))),
            one("app_caller", ConnectionEvent::appCaller, (b, v) -> b.appCaller((String) v)),
            one("stack", e -> e.stack().isEmpty() ? null : String.join("|", e.stack()),
                    (b, v) -> b.stack(v == null ? List.of() : List.of(((String) v).split("\\|")))),
            one(SESSION, ConnectionEvent::session, (b, v) -> b.session(number(v))));

    private EventJson() {
    }

    /** Every field, in the schema's order, with {@link #SESSION} last. */
    public static Map<String, Object> toMap(ConnectionEvent event) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Field field : FIELDS) {
            map.put(field.key(), field.write().apply(event));
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * Reads a map {@link #toMap} wrote. An outcome label this version does not know reads as
     * {@link Outcome#FAILED}; an address that is not an IP literal reads as {@code null} (never looked up).
     *
     * @throws RuntimeException when {@code id} or {@code start} is missing or not of its type
     */
    public static ConnectionEvent fromMap(Map<String, ?> map) {
        Builder builder = ConnectionEvent.builder();
        for (Field field : FIELDS) {
            if (field.read() != null) {
                field.read().accept(builder, map);
            }
        }
        return builder.build();
    }

    /** One line of the {@code events=} file: every field but {@link #SESSION}, escaped per RFC 8259. */
    public static String toJson(ConnectionEvent event) {
        StringBuilder json = new StringBuilder(400).append('{');
        toMap(event).forEach((key, value) -> {
            if (!key.equals(SESSION)) {
                quote(json, key).append(':');
                if (value == null || value instanceof Number || value instanceof Boolean) {
                    json.append(value);
                } else {
                    quote(json, value.toString());
                }
                json.append(',');
            }
        });
        json.setLength(json.length() - 1); // the last comma
        return json.append('}').toString();
    }

    private static Field one(String key, Function<ConnectionEvent, Object> write, BiConsumer<Builder, Object> read) {
        return new Field(key, write, (builder, map) -> read.accept(builder, map.get(key)));
    }

    /** A lookup has a host and no port; a connection a destination and the address reached. */
    private static void readTarget(Builder builder, Map<String, ?> map) {
        Object host = map.get("target_host");
        Object port = map.get("target_port");
        String resolved = (String) map.get("resolved");
        if (host != null && port == null) {
            builder.lookup(new Lookup(host.toString(), resolved == null ? null
                    : Arrays.stream(resolved.split("\\|")).map(EventJson::ip).filter(Objects::nonNull).toList()));
        } else if (host != null) {
            builder.destination(new Destination(host.toString(), number(port).intValue()));
            builder.reached(address(resolved));
        }
    }

    private static Frame frame(Map<String, ?> map) {
        Object className = map.get("caller_class");
        Object line = map.get("caller_line");
        return className == null ? null : new Frame(className.toString(), (String) map.get("caller_method"),
                (String) map.get("caller_file"), map(number(line), Long::intValue));
    }

    /** {@code ip:port} or {@code [v6]:port} as written here; {@code null} for anything else. */
    private static InetSocketAddress address(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        InetAddress ip = colon <= 0 ? null : ip(text.substring(0, colon));
        try {
            return ip == null ? null : new InetSocketAddress(ip, Integer.parseInt(text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return null; // not a port: unknown, as if the writer had written null
        }
    }

    private static InetAddress ip(String literal) {
        byte[] bytes = HostPattern.ipLiteral(literal);
        try {
            return bytes == null ? null : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null; // not reached: the length of a parsed literal is valid
        }
    }

    private static <T, R> R map(T value, Function<T, R> part) {
        return value == null ? null : part.apply(value);
    }

    private static Long number(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    private static <E> E label(E[] values, Function<E, String> label, Object text, E unknown) {
        for (E value : values) {
            if (label.apply(value).equals(text)) {
                return value;
            }
        }
        return unknown;
    }

    /** Appends a JSON string literal (RFC 8259): quotes, backslashes and control characters escaped. */
    private static StringBuilder quote(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> json.append(ch < 0x20 || ch == '\u2028' || ch == '\u2029'
                        ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
            }
        }
        return json.append('"');
    }
}
