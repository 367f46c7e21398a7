package dev.socksbridge.agent.it;

import static dev.socksbridge.agent.it.ProbeSupport.runOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.socksbridge.agent.inventory.SchemaLines;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real headless Chromium (Debian packages chromium, chromium-driver; skipped without
 * them). The page's self-check ({@code #selftest=TERM}) types TERM into the filter like a user and writes
 * what it then shows into the DOM, which {@code --dump-dom} prints; any console message (an error, an
 * uncaught exception) is in Chromium's log on standard error.
 */
class ReportBrowserIT {

    /** Generous: a functional bound, not a benchmark (a few seconds here). */
    private static final long BROWSER_LIMIT_SECONDS = 120;

    @RegisterExtension
    static final LoopbackTargets TARGETS = new LoopbackTargets();

    @TempDir
    Path dir;

    @Test
    void theReportOfARunRendersAndFilters() throws Exception {
        Path chromium = chromium();
        Path report = dir.resolve("report.html");
        runOk(Fixtures.probe(Fixtures.currentJava(), "include-loopback=true,mode=enforce,deny=blocked.invalid,summary=off,"
                + "report=" + report, List.of(), List.of(), "socket:" + TARGETS.echoPort(),
                "http:" + TARGETS.httpPort(), "denied:80:blocked.invalid"));
        SelfTest page = open(chromium, report, String.valueOf(TARGETS.httpPort()));
        assertEquals(3, page.number("before", "rows"), page.json);
        assertEquals(3, page.number("before", "mapPaths"), page.json);
        assertEquals(1, page.number("before", "highlighted"), "the denied connection is highlighted\n" + page.json);
        assertTrue(page.number("before", "timelineBars") >= 1, page.json);
        assertEquals(1, page.number("after", "matching"), "the filter leaves the one HTTP pair\n" + page.json);
        assertEquals(1, page.number("after", "rows"), page.json);
    }

    @Test
    void fiftyThousandEventsLoadAndFilter() throws Exception {
        Path chromium = chromium();
        Path events = dir.resolve("events.jsonl");
        int expectedMatching = writeEvents(events, 50_000);
        Path report = dir.resolve("big.html");
        Process cli = new ProcessBuilder(Fixtures.currentJava(), "-jar", Fixtures.agentJar().toString(), "report",
                events.toString(), "-o", report.toString()).redirectErrorStream(true).start();
        String cliOutput = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cli.waitFor(BROWSER_LIMIT_SECONDS, TimeUnit.SECONDS), "report command did not end");
        assertEquals(0, cli.exitValue(), cliOutput);
        assertTrue(cliOutput.contains("50000 events from 1 file(s)"), cliOutput);

        SelfTest page = open(chromium, report, "svc-7.");
        assertEquals(SERVICES * PORTS * CALLERS, page.number("before", "matching"), page.json);
        assertEquals(31, page.number("before", "map", "callers"), "30 heaviest callers and one '(n more)'\n" + page.json);
        assertTrue(page.number("before", "highlighted") > 0, page.json);
        assertEquals(expectedMatching, page.number("after", "matching"), page.json);
        assertTrue(page.json.contains("\"sortedBy\":\"dest\""), page.json);
    }

    private static final int SERVICES = 40;
    private static final int PORTS = 3;
    private static final int CALLERS = 45;

    /**
     * {@code count} connections over SERVICES x PORTS destinations and CALLERS caller classes (every pair
     * used), every 97th refused, every 211th denied, plus one lookup per service.
     *
     * @return how many caller/destination pairs the filter "svc-7." matches (services 7 and 70-79: just 7 here)
     */
    private static int writeEvents(Path file, int count) throws IOException {
        long start = 1_790_000_000_000L;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < count - SERVICES; i++) {
                int pair = i % (SERVICES * PORTS * CALLERS);
                String host = "svc-" + (pair % SERVICES) + ".internal.example";
                int port = 8000 + (pair / SERVICES) % PORTS;
                String caller = "com.acme.module" + (pair / (SERVICES * PORTS)) % 9 + ".Client" + pair / (SERVICES * PORTS);
                boolean denied = i % 211 == 0;
                String outcome = denied ? "denied" : i % 97 == 0 ? "refused" : "ok";
                out.write(SchemaLines.connection(i + 1, start + i * 7L, host, port,
                        "ok".equals(outcome) ? "10.0." + pair % SERVICES + ".1:" + port : null, outcome, 100 + i % 900,
                        2000 + i % 5000, 3 + i % 40, denied ? "denied" : "allowed", caller, 10 + i % 50,
                        "ok".equals(outcome) ? null : outcome));
                out.write('\n');
            }
            for (int s = 0; s < SERVICES; s++) {
                out.write(SchemaLines.lookup(count + s, start + s, "svc-" + s + ".internal.example", "10.0." + s + ".1",
                        "com.acme.Dns"));
                out.write('\n');
            }
        }
        return PORTS * CALLERS;
    }

    /** The self-check's JSON, and the numbers in it by path. */
    private record SelfTest(String json) {

        long number(String... path) {
            String rest = json;
            for (int i = 0; i < path.length - 1; i++) {
                int at = rest.indexOf("\"" + path[i] + "\":{");
                assertTrue(at >= 0, "no " + path[i] + " in " + json);
                rest = rest.substring(at);
            }
            Matcher m = Pattern.compile("\"" + path[path.length - 1] + "\":(\\d+)").matcher(rest);
            assertTrue(m.find(), "no " + String.join(".", path) + " in " + json);
            return Long.parseLong(m.group(1));
        }
    }

    /** Loads the page headless with the self-check; fails on any console message or missing result. */
    private SelfTest open(Path chromium, Path page, String filter) throws Exception {
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        Path log = dir.resolve("chromium.log");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                "--virtual-time-budget=10000", "--dump-dom", page.toUri() + "#selftest=" + filter));
        Process browser = new ProcessBuilder(command).redirectError(log.toFile()).start();
        byte[] dom = browser.getInputStream().readAllBytes();
        boolean ended = browser.waitFor(BROWSER_LIMIT_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            browser.destroyForcibly();
        }
        assertTrue(ended, "the page did not load within " + BROWSER_LIMIT_SECONDS + " s");
        String html = new String(dom, StandardCharsets.UTF_8);
        List<String> console = Files.readAllLines(log).stream().filter(l -> l.contains(":CONSOLE")).toList();
        assertEquals(List.of(), console, "console messages while loading the report");
        Matcher m = Pattern.compile("<pre id=\"selftest\"[^>]*>([^<]+)</pre>").matcher(html);
        assertTrue(m.find(), "the page's self-check did not run\n" + tail(html));
        String json = m.group(1).replace("&quot;", "\"").replace("&amp;", "&");
        assertTrue(json.startsWith("{\"errors\":[]"), "script errors: " + json);
        return new SelfTest(json);
    }

    private static String tail(String text) {
        return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
    }

    /** The chromium binary on the PATH, or the test is skipped saying how to get it. */
    private static Path chromium() {
        Optional<Path> found = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .flatMap(d -> List.of(Path.of(d, "chromium"), Path.of(d, "chromium-browser")).stream())
                .filter(Files::isExecutable).findFirst();
        assumeTrue(found.isPresent(), "chromium is not installed (apt-get install chromium chromium-driver; .ci/run"
                + " does): the report's browser test is skipped");
        return found.get();
    }
}
