package dev.socksbridge.agent.inventory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The offline commands: {@code learn EVENTS.jsonl... [-o FILE]} and {@code report EVENTS.jsonl... -o FILE.html},
 * from one or many events files (many JVMs, many runs). Unreadable lines are skipped and counted.
 */
public final class InventoryCommand {

    public static final String USAGE_LEARN =
            "java -jar socksbridge-agent.jar learn EVENTS.jsonl... [-o POLICY] [--scope destination|caller]"
            + "   (merges into POLICY; without -o prints it)";
    public static final String USAGE_REPORT =
            "java -jar socksbridge-agent.jar report EVENTS.jsonl... -o REPORT.html";

    private final PrintStream out;
    private final PrintStream err;

    public InventoryCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** @return the exit code: 0 done, 1 a file could not be read or written, 2 bad arguments */
    public int run(String command, List<String> args) {
        Arguments parsed = Arguments.parse(args);
        if (parsed == null || parsed.inputs.isEmpty() || (command.equals("report") && parsed.output == null)) {
            err.println("usage: " + (command.equals("learn") ? USAGE_LEARN : USAGE_REPORT));
            return 2;
        }
        try {
            return command.equals("learn") ? learn(parsed) : report(parsed);
        } catch (InventoryException e) {
            err.println("socksbridge " + command + ": " + e.getMessage());
            return 1;
        }
    }

    private int learn(Arguments args) {
        LearnedPolicy learned = new LearnedPolicy(args.scope);
        EventsReader reader = readAll(args.inputs, learned::add);
        summary("learn", args, reader);
        LearnedPolicy result;
        if (args.output != null) {
            result = PolicyFile.merge(learned, args.output);
        } else {
            result = new LearnedPolicy(args.scope);
            learned.mergeInto(result);
        }
        err.println("socksbridge learn: " + learned.connectionsLearned() + " connections learned, "
                + learned.connectionsDenied() + " denied by policy not learned, " + learned.connectionsUnusable()
                + " with a destination that is no allow= pattern not learned; " + result.size() + " allow= entries");
        if (args.output == null) {
            PolicyFile.lines(result).forEach(out::println);
        } else {
            err.println("socksbridge learn: wrote " + args.output);
        }
        return 0;
    }

    private int report(Arguments args) {
        ReportModel model = new ReportModel();
        EventsReader reader = readAll(args.inputs, model::add);
        model.skippedLines(reader.linesSkipped());
        summary("report", args, reader);
        ReportHtml.write(model, String.join(" ", args.inputs.stream().map(Path::toString).toList()), args.output);
        err.println("socksbridge report: wrote " + args.output);
        return 0;
    }

    private static EventsReader readAll(List<Path> inputs, Consumer<EgressEvent> sink) {
        EventsReader reader = new EventsReader();
        for (Path input : inputs) {
            try {
                reader.read(input, sink);
            } catch (IOException | RuntimeException e) {
                if (e instanceof InventoryException inventory) {
                    throw inventory;
                }
                throw new InventoryException(input + ": cannot read the events file (" + e
                        + "; expected: a JSON Lines file the agent's events= option wrote)", e);
            }
        }
        return reader;
    }

    private void summary(String command, Arguments args, EventsReader reader) {
        String line = "socksbridge " + command + ": " + reader.eventsRead() + " events from " + args.inputs.size()
                + " file(s)";
        if (reader.linesSkipped() > 0) {
            line += "; " + reader.linesSkipped() + " unreadable line(s) skipped (first: " + reader.firstSkipped() + ")";
        }
        err.println(line);
    }

    /** The input files, {@code -o FILE} and {@code --scope destination|caller} (learn). */
    private record Arguments(List<Path> inputs, Path output, LearnScope scope) {

        /** @return null when {@code -o} or {@code --scope} has no valid value or is given twice */
        static Arguments parse(List<String> args) {
            List<Path> inputs = new ArrayList<>();
            Path output = null;
            LearnScope scope = null;
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i).equals("-o")) {
                    if (output != null || i + 1 == args.size()) {
                        return null;
                    }
                    output = Path.of(args.get(++i));
                } else if (args.get(i).equals("--scope")) {
                    if (scope != null || i + 1 == args.size()) {
                        return null;
                    }
                    scope = scope(args.get(++i));
                    if (scope == null) {
                        return null;
                    }
                } else {
                    inputs.add(Path.of(args.get(i)));
                }
            }
            return new Arguments(inputs, output, scope == null ? LearnScope.DESTINATION : scope);
        }

        private static LearnScope scope(String value) {
            for (LearnScope scope : LearnScope.values()) {
                if (scope.name().equalsIgnoreCase(value)) {
                    return scope;
                }
            }
            return null;
        }
    }
}
