package dev.socksbridge.agent;

import dev.socksbridge.agent.instrument.HookCache;
import dev.socksbridge.agent.inventory.LearnScope;
import dev.socksbridge.proxy.Fault;
import dev.socksbridge.proxy.route.Redaction;
import dev.socksbridge.proxy.route.RouteTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The agent's settings, parsed once from the {@code -javaagent:jar=OPTIONS} string: a comma-separated
 * {@code key=value} list whose list values are separated by {@code |} (as in the JDK's nonProxyHosts),
 * or {@code config=FILE} naming a file with one {@code key=value} per line ({@code #} starts a comment).
 * Every problem is reported as one line naming the key and what was expected.
 */
public record AgentOptions(
        int port,
        boolean includeLoopback,
        List<String> allow,
        List<String> deny,
        Mode mode,
        OnError onError,
        String log,
        String events,
        boolean summary,
        boolean acceptExternal,
        String user,
        String password,
        List<String> callerExclude,
        List<String> routes,
        List<Fault> faults,
        String learn,
        String report,
        LearnScope learnScope,
        List<String> appPackages,
        int stackDepth,
        int maxSessions,
        Path hookCache) {

    /** What a policy denial does. */
    public enum Mode { MONITOR, ENFORCE }

    /** What happens when the agent cannot start. */
    public enum OnError { WARN, FAIL }

    /** {@code log=} value meaning standard error (the default). */
    public static final String LOG_STDERR = "stderr";
    /** {@code log=} value turning the per-connection log off. */
    public static final String LOG_OFF = "off";

    public AgentOptions {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        callerExclude = List.copyOf(callerExclude);
        routes = List.copyOf(routes);
        faults = List.copyOf(faults);
        appPackages = List.copyOf(appPackages);
    }

    /** The most frames {@code stack-depth=} may ask for. */
    static final int MAX_STACK_DEPTH = 64;

    /** Every key the agent understands, in the order the docs list them. */
    static final List<String> KEYS = List.of("port", "include-loopback", "allow", "deny", "mode", "on-error",
            "log", "events", "summary", "accept-external", "user", "password", "caller-exclude", "route", "fault",
            "learn", "learn-scope", "report", "app-packages", "stack-depth", "max-sessions", "hook-cache", "config");

    /** Keys that may be given several times: each {@code route=} adds a route, each {@code fault=} a fault, in order. */
    private static final String ROUTE = "route";
    private static final String FAULT = "fault";
    private static final Set<String> REPEATABLE = Set.of(ROUTE, FAULT);

    /** Keys whose {@code |}-separated lists may be split over several lines of a config file. */
    private static final List<String> LIST_KEYS = List.of("allow", "deny", "caller-exclude", "app-packages");

    public static AgentOptions defaults() {
        return parse(null);
    }

    /** Parses the agent argument string; {@code null} or blank means all defaults. */
    public static AgentOptions parse(String arguments) {
        return fromMap(merged(arguments));
    }

    /** The raw key/value pairs of the argument string and its {@code config=} file (the argument's win). */
    private static Map<String, String> merged(String arguments) {
        Map<String, String> values = new LinkedHashMap<>();
        if (arguments != null && !arguments.isBlank()) {
            for (String item : arguments.split(",")) {
                if (!item.isBlank()) {
                    put(values, item.trim());
                }
            }
        }
        String config = values.remove("config");
        if (config != null) {
            Map<String, String> fromFile = readConfig(config);
            // Options on the command line win over the file's: their routes are tried first.
            // routes add up (the argument's first); every other key, fault= too, given beside config= wins
            String routes = joinRepeated(values.get(ROUTE), fromFile.get(ROUTE));
            fromFile.putAll(values);
            values = fromFile;
            if (routes != null) {
                values.put(ROUTE, routes);
            }
        }
        return values;
    }

    /**
     * The on-error choice as far as it can be read from a possibly broken argument string: from the
     * argument and its config file when both are well-formed key=value lists (a bad value elsewhere, e.g.
     * {@code port=x} in the file, still obeys the file's {@code on-error=fail}), else from the argument alone.
     */
    public static OnError onErrorOf(String arguments) {
        String value;
        try {
            value = merged(arguments).get("on-error");
        } catch (AgentOptionsException e) {
            value = scanOnError(arguments);
        }
        return "fail".equalsIgnoreCase(value) ? OnError.FAIL : OnError.WARN;
    }

    private static String scanOnError(String arguments) {
        for (String item : arguments.split(",")) {
            int eq = item.indexOf('=');
            if (eq > 0 && item.substring(0, eq).trim().equalsIgnoreCase("on-error")) {
                return item.substring(eq + 1).trim();
            }
        }
        return null;
    }

    private static void put(Map<String, String> values, String item) {
        int eq = item.indexOf('=');
        if (eq <= 0) {
            throw new AgentOptionsException("socksbridge: option '" + item + "': expected key=value (keys: "
                    + String.join(", ", KEYS) + ")");
        }
        String key = item.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        if (!KEYS.contains(key)) {
            throw new AgentOptionsException("socksbridge: unknown option '" + key + "' (expected one of: "
                    + String.join(", ", KEYS) + ")");
        }
        if (REPEATABLE.contains(key)) {
            values.put(key, joinRepeated(values.get(key), item.substring(eq + 1).trim()));
            return;
        }
        if (values.put(key, item.substring(eq + 1).trim()) != null) {
            throw new AgentOptionsException("socksbridge: option " + key + " given twice (expected: once)");
        }
    }

    /** Routes are kept one per line until {@link #routes} splits them. */
    private static String joinRepeated(String first, String then) {
        return first == null ? then : then == null ? first : first + "\n" + then;
    }

    /** Checked here so a bad route is one line naming the option, as for every other option. */
    private static List<String> routes(Map<String, String> v) {
        String value = v.get(ROUTE);
        if (value == null) {
            return List.of();
        }
        List<String> routes = List.of(value.split("\n"));
        try {
            RouteTable.parse("socksbridge: option route", routes);
        } catch (IllegalArgumentException e) {
            throw new AgentOptionsException(e.getMessage()); // the password is already masked
        }
        return routes;
    }

    /** The routes as the proxy uses them (checked at parse time). */
    public RouteTable routeTable() {
        return RouteTable.parse("socksbridge: option route", routes);
    }

    private static Map<String, String> readConfig(String file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new AgentOptionsException("socksbridge: option config=" + file
                    + ": cannot read the file (expected: a readable file with one key=value per line): " + e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String trimmed = lines.get(i).trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                putLine(values, trimmed);
                checkRules(trimmed);
            } catch (AgentOptionsException e) {
                throw new AgentOptionsException(e.getMessage() + " in " + file + " line " + (i + 1));
            }
        }
        if (values.containsKey("config")) {
            throw new AgentOptionsException("socksbridge: option config inside " + file
                    + " (expected: config= only in the agent argument)");
        }
        return values;
    }

    /** A config file line: like {@link #put}, but a list key given again adds to the list (a learned policy). */
    private static void putLine(Map<String, String> values, String line) {
        int eq = line.indexOf('=');
        String key = eq > 0 ? line.substring(0, eq).trim().toLowerCase(Locale.ROOT) : "";
        if (LIST_KEYS.contains(key) && values.containsKey(key)) {
            values.put(key, values.get(key) + "|" + line.substring(eq + 1).trim());
        } else {
            put(values, line);
        }
    }

    /** An allow=/deny= line of a config file is checked on its own, so a bad entry is reported with its line. */
    private static void checkRules(String line) {
        int eq = line.indexOf('=');
        String key = line.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        if (key.equals("allow") || key.equals("deny")) {
            for (String entry : list(Map.of(key, line.substring(eq + 1)), key)) {
                AccessRules.rule(key, entry);
            }
        }
    }

    private static AgentOptions fromMap(Map<String, String> v) {
        String user = v.get("user");
        String password = v.get("password");
        if ((user == null) != (password == null)) {
            throw new AgentOptionsException("socksbridge: option " + (user == null ? "user" : "password")
                    + " is missing (expected: user and password together)");
        }
        boolean acceptExternal = bool(v, "accept-external", false);
        if (user != null && !acceptExternal) {
            throw new AgentOptionsException(
                    "socksbridge: option user/password only apply to external clients (expected: accept-external=true)");
        }
        AccessRules.of(list(v, "allow"), list(v, "deny")); // a bad entry is a bad option now, not at start
        return new AgentOptions(
                port(v.getOrDefault("port", "0")),
                bool(v, "include-loopback", false),
                list(v, "allow"),
                list(v, "deny"),
                choice(v, "mode", Mode.MONITOR, Mode.class),
                choice(v, "on-error", OnError.WARN, OnError.class),
                nonEmpty(v, "log", LOG_STDERR),
                v.containsKey("events") ? nonEmpty(v, "events", null) : null,
                onOff(v, "summary", true),
                acceptExternal,
                user,
                password,
                list(v, "caller-exclude"),
                routes(v),
                faults(v.get(FAULT)),
                v.containsKey("learn") ? nonEmpty(v, "learn", null) : null,
                v.containsKey("report") ? nonEmpty(v, "report", null) : null,
                choice(v, "learn-scope", LearnScope.DESTINATION, LearnScope.class),
                list(v, "app-packages"),
                stackDepth(v.getOrDefault("stack-depth", "0")),
                maxSessions(v.getOrDefault("max-sessions", String.valueOf(DEFAULT_MAX_SESSIONS))),
                hookCache(v.get("hook-cache")));
    }

    /** {@code hook-cache=}: {@code off}, a folder, or (absent) the default folder; {@code null} means off. */
    private static Path hookCache(String value) {
        if (value == null) {
            return HookCache.defaultBase();
        }
        if (value.isBlank()) {
            throw new AgentOptionsException("socksbridge: option hook-cache is empty (expected: off or a folder)");
        }
        if (value.trim().equalsIgnoreCase(LOG_OFF)) {
            return null;
        }
        try {
            return Path.of(value.trim());
        } catch (InvalidPathException e) {
            throw new AgentOptionsException("socksbridge: option hook-cache=" + value + ": not a path ("
                    + e.getReason() + "; expected: off or a folder)");
        }
    }

    /** Every {@code fault=} value, parsed; one bad spec fails the whole option set, naming it. */
    private static List<Fault> faults(String joined) {
        List<Fault> faults = new ArrayList<>();
        if (joined == null) {
            return faults;
        }
        for (String spec : joined.split("\n")) {
            try {
                faults.add(Fault.parse(spec));
            } catch (IllegalArgumentException e) {
                throw new AgentOptionsException("socksbridge: option " + e.getMessage());
            }
        }
        return faults;
    }

    private static int stackDepth(String value) {
        try {
            int depth = Integer.parseInt(value);
            if (depth >= 0 && depth <= MAX_STACK_DEPTH) {
                return depth;
            }
        } catch (NumberFormatException e) {
            // fall through to the one error message below
        }
        throw new AgentOptionsException("socksbridge: option stack-depth=" + value + " (expected: 0-"
                + MAX_STACK_DEPTH + ", the frames outside the JDK kept per connection; 0 = none)");
    }

    /** The in-process proxy's limit on concurrent sessions (the proxy's own default). */
    static final int DEFAULT_MAX_SESSIONS = 16_384;

    private static int maxSessions(String value) {
        try {
            int max = Integer.parseInt(value);
            if (max >= 1 && max <= 1_000_000) {
                return max;
            }
        } catch (NumberFormatException e) {
            // fall through to the one error message below
        }
        throw new AgentOptionsException("socksbridge: option max-sessions=" + value + " (expected: 1-1000000)");
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through to the one error message below
        }
        throw new AgentOptionsException("socksbridge: option port=" + value + " (expected: 0-65535, 0 = any free port)");
    }

    private static boolean bool(Map<String, String> v, String key, boolean defaultValue) {
        String value = v.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new AgentOptionsException("socksbridge: option " + key + "=" + value + " (expected: true or false)");
    }

    private static boolean onOff(Map<String, String> v, String key, boolean defaultValue) {
        String value = v.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("on")) {
            return true;
        }
        if (value.equalsIgnoreCase("off")) {
            return false;
        }
        throw new AgentOptionsException("socksbridge: option " + key + "=" + value + " (expected: on or off)");
    }

    private static <E extends Enum<E>> E choice(Map<String, String> v, String key, E defaultValue, Class<E> type) {
        String value = v.get(key);
        if (value == null) {
            return defaultValue;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().replace('_', '-').equalsIgnoreCase(value)) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(Locale.ROOT));
        }
        throw new AgentOptionsException("socksbridge: option " + key + "=" + value + " (expected: "
                + String.join(" or ", names) + ")");
    }

    private static String nonEmpty(Map<String, String> v, String key, String defaultValue) {
        String value = v.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.isEmpty()) {
            throw new AgentOptionsException("socksbridge: option " + key + "= is empty (expected: a value)");
        }
        return value;
    }

    private static List<String> list(Map<String, String> v, String key) {
        String value = v.get(key);
        List<String> items = new ArrayList<>();
        if (value != null) {
            for (String item : value.split("\\|")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "AgentOptions[port=" + port + ", include-loopback=" + includeLoopback + ", allow=" + allow
                + ", deny=" + deny + ", mode=" + mode + ", on-error=" + onError + ", log=" + log + ", events="
                + events + ", summary=" + summary + ", accept-external=" + acceptExternal + ", user=" + user
                + ", password=" + (password == null ? "none" : "***") + ", caller-exclude=" + callerExclude + ", routes=" + Redaction.mask(routes.toString()) + ", faults=" + faults
                + ", learn=" + learn + ", report=" + report + ", learn-scope=" + learnScope
                + ", app-packages=" + appPackages + ", stack-depth=" + stackDepth + ", max-sessions=" + maxSessions
                + ", hook-cache=" + (hookCache == null ? LOG_OFF : hookCache) + "]";
    }
}
