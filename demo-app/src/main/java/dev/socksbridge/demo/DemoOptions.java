package dev.socksbridge.demo;

/** The demo's command line: {@code [--loop N]} or {@code --help}. */
record DemoOptions(int rounds, boolean help) {
    static final int MAX_ROUNDS = 10_000;
    static final String USAGE = "usage: java -jar demo-app.jar [--loop N] [--help]\n"
            + "  --loop N   make every call N times (1-" + MAX_ROUNDS + ", default 1)";

    /** @throws IllegalArgumentException naming the argument at fault and what was expected */
    static DemoOptions parse(String... args) {
        int rounds = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    return new DemoOptions(rounds, true);
                }
                case "--loop" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--loop: missing value (expected: a count 1-" + MAX_ROUNDS + ")");
                    }
                    rounds = parseRounds(args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]
                        + " (expected: --loop N or --help)");
            }
        }
        return new DemoOptions(rounds, false);
    }

    private static int parseRounds(String value) {
        int rounds;
        try {
            rounds = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            rounds = -1;
        }
        if (rounds < 1 || rounds > MAX_ROUNDS) {
            throw new IllegalArgumentException("--loop: " + value + " (expected: a count 1-" + MAX_ROUNDS + ")");
        }
        return rounds;
    }
}
