package dev.socksbridge.agent.inventory;

import dev.socksbridge.agent.rules.AccessRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the learned policy: a {@code config=} file for the agent (one {@code key=value} per
 * line, {@code #} comments). Each destination is one {@code allow=} line; the {@code # callers:} comment
 * right above it holds the calling classes and counts, which is how a later {@code learn} merges counts.
 */
public final class PolicyFile {

    static final String CALLERS = "# callers:";
    private static final String FAILED = "failed=";

    private PolicyFile() {
    }

    /** Merges an existing file into {@code policy}; a missing file is an empty policy. */
    public static void readInto(Path file, LearnedPolicy policy) {
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new InventoryException(file + ": cannot read the policy file (" + e
                    + "; expected: a readable text file in UTF-8)", e);
        }
        String callers = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            String where = file + ":" + (i + 1);
            if (line.startsWith(CALLERS)) {
                callers = line;
            } else if (line.isEmpty() || line.startsWith("#")) {
                continue; // a plain comment does not separate a callers comment from its allow= line
            } else {
                readSetting(where, line, callers, policy);
                callers = null;
            }
        }
    }

    private static void readSetting(String where, String line, String callers, LearnedPolicy policy) {
        int eq = line.indexOf('=');
        String key = eq > 0 ? line.substring(0, eq).trim() : "";
        if (!key.matches("[a-z][a-z0-9-]*")) {
            throw new InventoryException(where + ": '" + line + "' (expected: key=value, e.g. allow=api.example.com:443,"
                    + " or a # comment)");
        }
        if (!key.equals("allow")) {
            policy.keep(line);
            return;
        }
        String[] patterns = line.substring(eq + 1).split("\\|");
        for (String text : patterns) {
            String pattern = text.trim();
            if (pattern.isEmpty()) {
                continue;
            }
            try {
                AccessRule.parse(pattern);
            } catch (IllegalArgumentException e) {
                throw new InventoryException(where + ": allow entry " + e.getMessage());
            }
            LearnedPolicy.Entry entry = policy.entry(pattern);
            if (callers != null && patterns.length == 1) {
                readCallers(where, callers, entry);
            }
        }
    }

    /** {@code # callers: com.acme.A=3 com.acme.B=1; failed=1}, as {@link #write} puts it. */
    private static void readCallers(String where, String comment, LearnedPolicy.Entry entry) {
        String[] parts = comment.substring(CALLERS.length()).split(";");
        for (String item : parts[0].trim().split("\\s+")) {
            if (!item.isEmpty()) {
                int eq = item.lastIndexOf('=');
                entry.callers.merge(item.substring(0, Math.max(eq, 0)), count(where, item, eq), Long::sum);
            }
        }
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.startsWith(FAILED)) {
                entry.failed += count(where, part, FAILED.length() - 1);
            }
        }
    }

    private static long count(String where, String item, int eq) {
        try {
            if (eq > 0) {
                return Long.parseLong(item.substring(eq + 1));
            }
        } catch (NumberFormatException e) {
            // the one message below
        }
        throw new InventoryException(where + ": callers comment item '" + item
                + "' (expected: class=count, e.g. com.acme.Billing=12)");
    }

    /**
     * Adds {@code learned} to what {@code file} holds now and writes the result, holding a lock on
     * {@code FILE.lock} meanwhile, so JVMs that exit together and learn into one file all keep their entries.
     *
     * @return the merged policy
     */
    public static LearnedPolicy merge(LearnedPolicy learned, Path file) {
        Path lock = file.resolveSibling(file.getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            LearnedPolicy merged = new LearnedPolicy(learned.scope());
            readInto(file, merged);
            learned.mergeInto(merged);
            write(merged, file);
            return merged;
        } catch (IOException e) {
            throw new InventoryException(lock + ": cannot lock the policy file for merging (" + e
                    + "; expected: a writable directory)", e);
        }
    }

    /** Writes {@code policy} to {@code file} (through a temporary file, so a failed write leaves the old one). */
    public static void write(LearnedPolicy policy, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Path temp = parent.resolve(file.getFileName() + ".tmp"); // the umask's permissions, unlike createTempFile
            Files.write(temp, lines(policy), StandardCharsets.UTF_8);
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            throw new InventoryException(file + ": cannot write the policy file (" + e
                    + "; expected: a writable file in an existing directory)", e);
        }
    }

    static List<String> lines(LearnedPolicy policy) {
        List<String> out = new ArrayList<>();
        boolean byCaller = policy.scope() == LearnScope.CALLER;
        out.add("# socksbridge learned egress policy (learn-scope=" + (byCaller ? "caller" : "destination") + "). Use it as");
        out.add("#   -javaagent:socksbridge-agent.jar=mode=enforce,config=THIS_FILE");
        if (byCaller) {
            out.add("# One allow= line per calling class and destination (CLASS -> host:port; a destination alone");
            out.add("# when the caller was unknown); the destination as the app named it (host name, not the address");
            out.add("# it resolved to); the '# callers:' comment above it names the calling classes and their connection");
        } else {
            out.add("# One allow= line per destination as the app named it (host name, not the address it resolved to)");
            out.add("# and port; the '# callers:' comment above it names the calling classes and their connection");
        }
        out.add("# counts. Learning into this file again merges: counts add up, no entry is removed (delete a");
        out.add("# line yourself to drop it). Updated " + Instant.now() + ".");
        List<String> kept = policy.keptLines();
        if (!kept.isEmpty()) {
            out.add("");
            out.add("# other settings, kept as they were");
            out.addAll(kept);
        }
        for (Map.Entry<String, List<LearnedPolicy.Entry>> group : policy.byHost().entrySet()) {
            out.add("");
            out.add("# " + group.getKey());
            for (LearnedPolicy.Entry entry : group.getValue()) {
                if (!entry.callers.isEmpty()) {
                    out.add(callersComment(entry));
                }
                out.add("allow=" + entry.pattern);
            }
        }
        return out;
    }

    private static String callersComment(LearnedPolicy.Entry entry) {
        StringBuilder line = new StringBuilder(CALLERS);
        entry.callers.forEach((caller, count) -> line.append(' ').append(caller).append('=').append(count));
        if (entry.failed > 0) {
            line.append("; ").append(FAILED).append(entry.failed);
        }
        return line.toString();
    }
}
