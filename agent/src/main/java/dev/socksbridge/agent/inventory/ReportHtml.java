package dev.socksbridge.agent.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the report: one HTML file with the page's CSS and JavaScript inline (from {@code report.html},
 * a resource beside this class) and the model as a JSON block the script renders. Nothing is fetched.
 */
public final class ReportHtml {

    static final int TIMELINE_SLICES = 120;
    private static final String DATA_MARK = "/*SOCKSBRIDGE_DATA*/null";

    private ReportHtml() {
    }

    public static void write(ReportModel model, String title, Path file) {
        try {
            String html = template().replace(DATA_MARK, data(model, title));
            Path parent = file.toAbsolutePath().getParent();
            Path temp = parent.resolve(file.getFileName() + ".tmp"); // the umask's permissions, unlike createTempFile
            Files.writeString(temp, html, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            throw new InventoryException(file + ": cannot write the report (" + e
                    + "; expected: a writable file in an existing directory)", e);
        }
    }

    private static String template() throws IOException {
        try (InputStream in = ReportHtml.class.getResourceAsStream("report.html")) {
            if (in == null) {
                throw new IOException("report.html missing from the agent jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String data(ReportModel model, String title) {
        Json json = new Json().begin()
                .field("title", title)
                .field("generated", Instant.now().toString())
                .field("events", model.events())
                .field("skipped", model.skippedLines())
                .field("timelineDropped", model.timelineDropped());
        Map<String, Set<String>> namesByAddress = namesByAddress(model);
        json.beginArray("edges");
        for (ReportModel.Edge e : model.edges()) {
            json.begin().field("caller", e.caller).field("dest", e.destination).field("kind", e.udp ? "udp" : "tcp")
                    .field("conns", e.connections).field("failed", e.failed).field("denied", e.denied)
                    .field("wouldDeny", e.wouldDeny).field("up", e.bytesUp).field("down", e.bytesDown)
                    .field("ms", e.durationMillis).field("first", e.first).field("last", e.last)
                    .strings("sites", e.callSites).strings("reached", e.reached).counts("failures", e.failures)
                    .strings("dns", lookedUp(e, model, namesByAddress)).end();
        }
        json.endArray().beginArray("dns");
        for (ReportModel.Lookup l : model.lookups()) {
            json.begin().field("host", l.host).field("lookups", l.count).field("failed", l.failed)
                    .field("ms", l.durationMillis).strings("addresses", l.addresses).strings("callers", l.callers)
                    .strings("then", connectionsAfter(l, model)).end();
        }
        json.endArray();
        ReportModel.Timeline timeline = model.timeline(TIMELINE_SLICES);
        json.beginObject("timeline").field("start", timeline.startMillis()).field("slice", timeline.sliceMillis())
                .beginArray("counts");
        for (long[] slice : timeline.counts()) {
            json.beginArray();
            for (long count : slice) {
                json.value(count);
            }
            json.endArray();
        }
        return json.endArray().end().end().toString();
    }

    /** Every looked-up name whose addresses include one this edge reached. */
    private static Map<String, Set<String>> namesByAddress(ReportModel model) {
        Map<String, Set<String>> names = new HashMap<>();
        for (ReportModel.Lookup l : model.lookups()) {
            for (String address : l.addresses) {
                names.computeIfAbsent(address, a -> new TreeSet<>()).add(l.host);
            }
        }
        return names;
    }

    /** The lookups that led to this edge: of its host name, or of a name resolving to an address it reached. */
    private static Set<String> lookedUp(ReportModel.Edge e, ReportModel model, Map<String, Set<String>> byAddress) {
        Set<String> names = new TreeSet<>();
        for (ReportModel.Lookup l : model.lookups()) {
            if (l.host.equalsIgnoreCase(e.host)) {
                names.add(l.host);
            }
        }
        for (String reached : e.reached) {
            names.addAll(byAddress.getOrDefault(EgressEvent.hostOf(reached), Set.of()));
        }
        return names;
    }

    /** The destinations connected to by this name or one of the addresses it resolved to. */
    private static Set<String> connectionsAfter(ReportModel.Lookup l, ReportModel model) {
        Set<String> then = new TreeSet<>();
        for (ReportModel.Edge e : model.edges()) {
            boolean byName = e.host.equalsIgnoreCase(l.host);
            if (byName || e.reached.stream().anyMatch(r -> l.addresses.contains(EgressEvent.hostOf(r)))) {
                then.add(e.destination);
            }
        }
        return then;
    }
}
