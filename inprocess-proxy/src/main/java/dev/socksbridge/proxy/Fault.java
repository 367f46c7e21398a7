package dev.socksbridge.proxy;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One fault: which destinations ({@link HostPattern}), what ({@link FaultType} and its values), which
 * direction, and for which share of connections ({@code toxicity}). Immutable. The textual form, the same
 * for the builder, the CLI's {@code --fault}, the agent's {@code fault=} and the JUnit {@code @Fault}:
 *
 * <pre>
 * [fault=]PATTERN-&gt;TYPE [key=value ...]
 * *.example.com:443-&gt;latency latency=200 jitter=50 direction=down toxicity=0.5
 * *-&gt;bandwidth rate=256
 * </pre>
 *
 * Two faults parsed from the same text are different faults (a table removes the one it was given).
 */
public final class Fault {

    private static final String PREFIX = "fault=";
    private static final String ARROW = "->";

    private final String text;
    private final HostPattern pattern;
    private final FaultType type;
    private final FaultDirection direction;
    private final double toxicity;
    private final long[] values;
    /** Decides, with a connection's seed, whether this fault applies to that connection (toxicity). */
    private final long id = ThreadLocalRandom.current().nextLong();
    /** When the fault was made: a fault added to a running connection counts its timeouts from here. */
    private final long createdNanos = System.nanoTime();

    private Fault(String text, HostPattern pattern, FaultType type, FaultDirection direction, double toxicity,
            long[] values) {
        this.text = text;
        this.pattern = pattern;
        this.type = type;
        this.direction = direction;
        this.toxicity = toxicity;
        this.values = values;
    }

    /**
     * Parses the textual form (a leading {@code fault=} is allowed).
     *
     * @throws IllegalArgumentException {@code fault 'TEXT': WHAT (expected: ...)}
     */
    public static Fault parse(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("fault: null (expected: PATTERN->TYPE key=value ...)");
        }
        try {
            return parseChecked(spec.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fault '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static Fault parseChecked(String spec) {
        String body = spec.startsWith(PREFIX) ? spec.substring(PREFIX.length()).trim() : spec;
        int arrow = body.indexOf(ARROW);
        if (arrow <= 0) {
            throw new IllegalArgumentException("no 'PATTERN->TYPE' (expected: PATTERN->TYPE key=value ..., e.g. "
                    + "*.example.com:443->latency latency=200)");
        }
        HostPattern pattern = HostPattern.parse(body.substring(0, arrow).trim());
        String[] words = body.substring(arrow + ARROW.length()).trim().split("\\s+");
        FaultType type = FaultType.ofLabel(words[0].toLowerCase(Locale.ROOT));
        long[] values = new long[type.keys().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = type.defaultOf(i);
        }
        FaultDirection direction = FaultDirection.BOTH;
        double toxicity = 1.0;
        boolean[] seen = new boolean[values.length];
        for (int w = 1; w < words.length; w++) {
            String word = words[w];
            int eq = word.indexOf('=');
            if (eq <= 0 || eq == word.length() - 1) {
                throw new IllegalArgumentException("'" + word + "' (expected: key=value)");
            }
            String key = word.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = word.substring(eq + 1);
            if (key.equals("toxicity")) {
                toxicity = toxicity(value);
            } else if (key.equals("direction") && !type.atConnect()) {
                direction = FaultDirection.ofLabel(value.toLowerCase(Locale.ROOT));
            } else {
                int index = type.keys().indexOf(key);
                if (index < 0) {
                    throw new IllegalArgumentException("unknown key '" + key + "' for " + type.label()
                            + " (expected: " + keysOf(type) + ")");
                }
                if (seen[index]) {
                    throw new IllegalArgumentException(key + " given twice (expected: once)");
                }
                seen[index] = true;
                values[index] = nonNegative(key, value);
            }
        }
        checkType(type, values);
        return new Fault(spec, pattern, type, direction, toxicity, values);
    }

    private static String keysOf(FaultType type) {
        StringBuilder keys = new StringBuilder();
        for (String key : type.keys()) {
            keys.append(key).append(", ");
        }
        return keys.append(type.atConnect() ? "toxicity" : "direction, toxicity").toString();
    }

    private static void checkType(FaultType type, long[] values) {
        if (type == FaultType.BANDWIDTH && values[0] < 1) {
            throw new IllegalArgumentException("rate=" + values[0] + " (expected: KiB per second, 1 or more)");
        }
        if (type == FaultType.SLICER && values[0] < 1) {
            throw new IllegalArgumentException("average_size=" + values[0] + " (expected: bytes, 1 or more)");
        }
        if (type == FaultType.SLICER && values[1] >= values[0]) {
            throw new IllegalArgumentException("size_variation=" + values[1]
                    + " (expected: less than average_size=" + values[0] + ")");
        }
        if (type == FaultType.LATENCY && values[1] > values[0]) {
            throw new IllegalArgumentException("jitter=" + values[1] + " (expected: at most latency=" + values[0] + ")");
        }
    }

    private static long nonNegative(String key, String value) {
        try {
            long n = Long.parseLong(value);
            if (n >= 0 && n <= Integer.MAX_VALUE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + "=" + value + " (expected: an integer 0-" + Integer.MAX_VALUE + ")");
    }

    private static double toxicity(String value) {
        try {
            double t = Double.parseDouble(value);
            if (t >= 0 && t <= 1) {
                return t;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("toxicity=" + value + " (expected: a number from 0 to 1)");
    }

    public HostPattern pattern() {
        return pattern;
    }

    public FaultType type() {
        return type;
    }

    public FaultDirection direction() {
        return direction;
    }

    public double toxicity() {
        return toxicity;
    }

    /** The value of one of the type's keys ({@link FaultType#keys()}), the default when not given. */
    public long value(String key) {
        int index = type.keys().indexOf(key);
        if (index < 0) {
            throw new IllegalArgumentException(type.label() + " has no key '" + key + "' (expected: " + type.keys() + ")");
        }
        return values[index];
    }

    long value(int index) {
        return values[index];
    }

    long createdNanos() {
        return createdNanos;
    }

    /** Whether this fault applies to a connection to {@code host:port} whose dice roll is {@code seed}. */
    boolean appliesTo(String host, int port, long seed) {
        return pattern.matches(host, port) && selected(seed);
    }

    /** Toxicity, decided once per connection and fault, with no state: a hash of both to [0, 1). */
    private boolean selected(long seed) {
        if (toxicity >= 1) {
            return true;
        }
        long h = (seed ^ id) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        h *= 0xD6E8FEB86659FD93L;
        h ^= h >>> 32;
        return (h >>> 11) * 0x1.0p-53 < toxicity;
    }

    /** The text it was parsed from. */
    @Override
    public String toString() {
        return text;
    }
}
