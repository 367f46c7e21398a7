package dev.socksbridge.proxy.route;

import dev.socksbridge.proxy.RouteAction;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.HostPattern;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code PATTERN->ACTION} (spaces around {@code ->} allowed). PATTERN is {@link HostPattern}'s
 * grammar; ACTION is one of
 * <ul>
 * <li>{@code direct}, {@code block};</li>
 * <li>{@code host:port} or {@code [v6]:port}: a stand-in;</li>
 * <li>{@code socks5://[user:pass@]host:port} or {@code http://[user:pass@]host:port}: an upstream proxy;</li>
 * <li>several of those hop URLs separated by spaces: a chain, from the client outwards.</li>
 * </ul>
 * User and password may be percent-encoded ({@code %40} for {@code @}); {@code ${env:NAME}} anywhere in the
 * action is replaced by the environment variable NAME, so a password need not be written on a command line.
 * Errors never show a password.
 */
public final class RouteParser {

    static final String EXPECTED = "expected: PATTERN->ACTION, ACTION one of direct, block, host:port,"
            + " socks5://[user:pass@]host:port, http://[user:pass@]host:port, or such hops separated by spaces";
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private RouteParser() {
    }

    /** @throws IllegalArgumentException {@code 'text': problem (expected: ...)}, the password masked */
    public static Route parse(String text) {
        return parse(text, System::getenv);
    }

    static Route parse(String text, UnaryOperator<String> environment) {
        int arrow = text.indexOf("->");
        if (arrow < 0) {
            throw bad(text, "no '->' between pattern and action");
        }
        String patternText = text.substring(0, arrow).trim();
        String actionText = text.substring(arrow + 2).trim();
        HostPattern pattern;
        try {
            pattern = HostPattern.parse(patternText);
        } catch (IllegalArgumentException e) {
            throw bad(text, "pattern " + e.getMessage());
        }
        if (actionText.isEmpty()) {
            throw bad(text, "no action after '->'");
        }
        return new Route(pattern, action(text, expand(text, actionText, environment)));
    }

    private static String expand(String text, String action, UnaryOperator<String> environment) {
        Matcher m = ENV.matcher(action);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = environment.apply(m.group(1));
            if (value == null) {
                throw bad(text, "environment variable " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    private static RouteAction action(String text, String action) {
        String[] tokens = action.split("\\s+");
        if (tokens.length == 1) {
            String only = tokens[0].toLowerCase(Locale.ROOT);
            if (only.equals("direct")) {
                return RouteAction.direct();
            }
            if (only.equals("block")) {
                return Block.INSTANCE;
            }
            if (!tokens[0].contains("://")) {
                return new Redirect(hostPort(text, tokens[0]));
            }
        }
        List<Hop> hops = new ArrayList<>(tokens.length);
        for (String token : tokens) {
            String lower = token.toLowerCase(Locale.ROOT);
            if (lower.equals("block") || lower.equals("direct")) {
                throw bad(text, "'" + token + "' cannot be part of a chain (expected: " + token
                        + " alone, or hops socks5://host:port and http://host:port only)");
            }
            if (!token.contains("://")) {
                throw bad(text, "'" + Redaction.mask(token) + "' in a chain (expected: every hop as socks5://host:port"
                        + " or http://host:port; a stand-in host:port stands alone)");
            }
            hops.add(hop(text, token));
        }
        return new HopChain(hops);
    }

    private static Hop hop(String text, String url) {
        int schemeEnd = url.indexOf("://");
        String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        Hop.Scheme kind;
        if (scheme.equals("socks5") || scheme.equals("socks5h")) {
            kind = Hop.Scheme.SOCKS5;
        } else if (scheme.equals("http")) {
            kind = Hop.Scheme.HTTP;
        } else {
            throw bad(text, "unknown scheme '" + scheme + "' (expected: socks5:// or http://)");
        }
        String rest = url.substring(schemeEnd + 3);
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        int at = rest.lastIndexOf('@');
        String user = null;
        String password = null;
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            int colon = userInfo.indexOf(':');
            if (colon <= 0) {
                throw bad(text, "credentials of " + kind.label() + " hop (expected: user:pass@host:port)");
            }
            user = percentDecoded(text, userInfo.substring(0, colon));
            password = percentDecoded(text, userInfo.substring(colon + 1));
            checkCredentials(text, kind, user, password);
            rest = rest.substring(at + 1);
        }
        return new Hop(kind, hostPort(text, rest), user, password);
    }

    private static void checkCredentials(String text, Hop.Scheme kind, String user, String password) {
        int userBytes = user.getBytes(StandardCharsets.UTF_8).length;
        int passwordBytes = password.getBytes(StandardCharsets.UTF_8).length;
        if (userBytes == 0 || passwordBytes == 0) {
            throw bad(text, "empty user or password (expected: user:pass@host:port with both given)");
        }
        if (kind == Hop.Scheme.SOCKS5 && (userBytes > 255 || passwordBytes > 255)) {
            throw bad(text, "user or password over 255 bytes (expected: at most 255 each, RFC 1929)");
        }
        if (kind == Hop.Scheme.HTTP && user.indexOf(':') >= 0) {
            throw bad(text, "a ':' in the user name (expected: none; HTTP Basic cannot carry it)");
        }
    }

    /** {@code host:port} or {@code [v6]:port}, port 1-65535. */
    static Destination hostPort(String text, String value) {
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || close + 1 >= value.length() || value.charAt(close + 1) != ':') {
                throw bad(text, "'" + value + "' (expected: [v6]:port)");
            }
            host = value.substring(1, close);
            port = value.substring(close + 2);
        } else {
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || value.indexOf(':') != colon) {
                throw bad(text, "'" + Redaction.mask(value) + "' (expected: host:port, or [v6]:port)");
            }
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%-]+")) {
            throw bad(text, "host '" + host + "' (expected: a host name or IP literal)");
        }
        return new Destination(host, port(text, port));
    }

    private static int port(String text, String value) {
        if (value.matches("\\d{1,9}")) {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
            throw bad(text, "port " + port + " out of range (expected: 1-65535)");
        }
        throw bad(text, "port '" + value + "' (expected: a number 1-65535)");
    }

    private static String percentDecoded(String text, String value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length() || Character.digit(value.charAt(i + 1), 16) < 0
                        || Character.digit(value.charAt(i + 2), 16) < 0) {
                    throw bad(text, "a '%' in user or password not followed by two hex digits (expected: %40 for @)");
                }
                bytes.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException bad(String text, String problem) {
        String expected = problem.contains("(expected") ? "" : " (" + EXPECTED + ")";
        return new IllegalArgumentException("'" + Redaction.mask(text) + "': " + problem + expected);
    }
}
