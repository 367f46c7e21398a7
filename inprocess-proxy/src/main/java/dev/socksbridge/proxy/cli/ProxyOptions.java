package dev.socksbridge.proxy.cli;

import dev.socksbridge.proxy.Fault;
import dev.socksbridge.proxy.route.Route;
import dev.socksbridge.proxy.route.RouteTable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The standalone server's command line, parsed and checked; builder ranges are checked by the builder. */
public final class ProxyOptions {

    public static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar socksbridge-proxy.jar [options]",
            "  --bind ADDR               address to listen on (default 127.0.0.1)",
            "  --port N                  port to listen on, 0 = any free port (default 1080)",
            "  --user U --password P     require RFC 1929 username/password authentication",
            "  --handshake-timeout D     time allowed from accept to request (default 10s)",
            "  --connect-timeout D       time allowed for the outbound connect (default 10s)",
            "  --idle-timeout D          close relays idle this long, 0 = never (default 0)",
            "  --bind-timeout D          how long a BIND waits for its peer (default 60s)",
            "  --max-sessions N          concurrent sessions, more are refused (default 16384)",
            "  --route 'PATTERN->ACTION' route CONNECTs matching PATTERN (repeatable, first match wins):",
            "                            ACTION = direct | block | host:port (a stand-in) |",
            "                            socks5://[user:pass@]host:port | http://[user:pass@]host:port,",
            "                            or several hops separated by spaces (a chain, app side first)",
            "  --route-file FILE         routes from FILE, one per line (# comments), after --route ones;",
            "                            keeps passwords off the command line (or use ${env:NAME})",
            "  --fault 'SPEC'            apply a fault, e.g. '*.example.com:443->latency latency=200'",
            "                            (repeatable; PATTERN->TYPE key=value ..., see docs/faults.md)",
            "  --help                    print this help",
            "Durations: 500ms, 10s, 2m, 1h.");

    private static final List<String> WITH_VALUE = List.of("--bind", "--port", "--user", "--password",
            "--handshake-timeout", "--connect-timeout", "--idle-timeout", "--bind-timeout", "--max-sessions", "--route",
            "--route-file", "--fault");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private InetAddress bind = InetAddress.getLoopbackAddress();
    private int port = 1080;
    private String user;
    private String password;
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ZERO;
    private Duration bindTimeout = Duration.ofSeconds(60);
    private int maxSessions = 16_384;
    private boolean help;
    private final List<String> routes = new ArrayList<>();
    private final List<String> fileRoutes = new ArrayList<>();
    private RouteTable routeTable = RouteTable.EMPTY;
    private final List<Fault> faults = new ArrayList<>();

    private ProxyOptions() {
    }

    public static ProxyOptions parse(String... args) throws UsageException {
        ProxyOptions options = new ProxyOptions();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                options.help = true;
                continue;
            }
            if (!WITH_VALUE.contains(option)) {
                throw new UsageException("unknown option: " + option + " (expected: one of " + WITH_VALUE
                        + " or --help)");
            }
            if (i + 1 >= args.length) {
                throw new UsageException(option + ": missing value");
            }
            options.apply(option, args[++i]);
        }
        options.routeTable = options.routes();
        if ((options.user == null) != (options.password == null)) {
            throw new UsageException(options.user == null ? "--password: needs --user too"
                    : "--user: needs --password too");
        }
        return options;
    }

    private void apply(String option, String value) throws UsageException {
        switch (option) {
            case "--bind": bind = address(option, value); break;
            case "--port": port = integer(option, value, 0, 65535); break;
            case "--user": user = nonEmpty(option, value); break;
            case "--password": password = nonEmpty(option, value); break;
            case "--handshake-timeout": handshakeTimeout = duration(option, value, false); break;
            case "--connect-timeout": connectTimeout = duration(option, value, false); break;
            case "--idle-timeout": idleTimeout = duration(option, value, true); break;
            case "--bind-timeout": bindTimeout = duration(option, value, false); break;
            case "--max-sessions": maxSessions = integer(option, value, 1, 1_000_000); break;
            case "--route": routes.add(value); break;
            case "--route-file": fileRoutes.addAll(routeFile(option, value)); break;
            case "--fault": faults.add(fault(option, value)); break;
            default: throw new IllegalStateException("unhandled option: " + option);
        }
    }

    /** Command-line routes first, then the files' in order; each error names the option it came from. */
    private RouteTable routes() throws UsageException {
        try {
            List<Route> all = new ArrayList<>(RouteTable.parse("--route", routes).routes());
            all.addAll(RouteTable.parse("--route-file", fileRoutes).routes());
            return RouteTable.of(all);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static List<String> routeFile(String option, String file) throws UsageException {
        try {
            List<String> routes = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    routes.add(trimmed);
                }
            }
            return routes;
        } catch (IOException | RuntimeException e) {
            throw new UsageException(option + ": " + file + " (expected: a readable file with one PATTERN->ACTION"
                    + " per line): " + e);
        }
    }

    static int integer(String option, String value, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected range
        }
        throw new UsageException(option + ": " + value + " (expected: an integer " + min + "-" + max + ")");
    }

    static Duration duration(String option, String value, boolean zeroAllowed) throws UsageException {
        if (zeroAllowed && "0".equals(value)) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(value == null ? "" : value.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            Duration d;
            switch (m.group(2)) {
                case "ms": d = Duration.ofMillis(amount); break;
                case "s": d = Duration.ofSeconds(amount); break;
                case "m": d = Duration.ofMinutes(amount); break;
                default: d = Duration.ofHours(amount); break;
            }
            if ((zeroAllowed || !d.isZero()) && d.toMillis() <= Integer.MAX_VALUE) {
                return d;
            }
        }
        throw new UsageException(option + ": " + value + " (expected: a duration like 500ms, 10s, 2m or 1h"
                + (zeroAllowed ? ", or 0 for none" : ", above zero") + ")");
    }

    private static Fault fault(String option, String value) throws UsageException {
        try {
            return Fault.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    private static InetAddress address(String option, String value) throws UsageException {
        try {
            if (value == null || value.isEmpty()) {
                throw new UnknownHostException(value);
            }
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new UsageException(option + ": " + value + " (expected: a local IP address or host name)");
        }
    }

    private static String nonEmpty(String option, String value) throws UsageException {
        if (value == null || value.isEmpty()) {
            throw new UsageException(option + ": \"\" (expected: a non-empty value)");
        }
        return value;
    }

    public InetAddress bind() {
        return bind;
    }

    public int port() {
        return port;
    }

    /** null when no authentication was asked for. */
    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration bindTimeout() {
        return bindTimeout;
    }

    public int maxSessions() {
        return maxSessions;
    }

    /** Every {@code --route}, then every {@code --route-file} entry. */
    public RouteTable routeTable() {
        return routeTable;
    }

    /** The {@code --fault} options, in order. */
    public List<Fault> faults() {
        return List.copyOf(faults);
    }

    public boolean help() {
        return help;
    }
}
