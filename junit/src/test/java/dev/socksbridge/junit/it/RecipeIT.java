package dev.socksbridge.junit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The documented Surefire recipe, for real: an offline nested Maven build of {@code src/it/recipe-project}
 * whose surefire argLine loads the built agent from the (private) local repository with
 * {@code include-loopback=true,events=...,mode=enforce,allow=127.0.0.1|localhost}.
 */
class RecipeIT {

    private static Path property(String name) {
        String value = System.getProperty(name);
        assertTrue(value != null && !value.isEmpty(), () -> "system property " + name + " is not set (failsafe sets it)");
        return Path.of(value);
    }

    @Test
    void theRecipeRecordsEveryConnectionAndEnforceModeFailsTheTestThatCallsAnUnlistedDestination() throws Exception {
        Path agentJar = property("socksbridge.agent.jar");
        assertTrue(Files.isRegularFile(agentJar), () -> agentJar + " is missing: build the agent module first "
                + "(mvn -pl junit -am verify builds it)");
        String version = System.getProperty("socksbridge.version");
        NestedMavenBuild build = NestedMavenBuild.of(property("socksbridge.recipe.dir"),
                property("socksbridge.it.work"), property("socksbridge.outer.repo"));
        build.stage("dev.socksbridge", "socksbridge-agent", version, agentJar);

        int exit = build.run(property("maven.home"), List.of("-Dsocksbridge.version=" + version,
                "-Djunit.version=" + System.getProperty("recipe.junit.version"), "verify"));

        String output = build.outputText();
        assertNotEquals(0, exit, () -> "ForbiddenCallTest must fail the build; output: " + build.output());
        assertTrue(output.contains("Tests run: 2, Failures: 1, Errors: 0")
                        || output.contains("Tests run: 2, Failures: 0, Errors: 1"),
                () -> "expected 2 tests with 1 failing; output in " + build.output() + ":\n" + tail(output));

        Path reports = build.projectDir().resolve("target/surefire-reports");
        assertEquals(0, problems(reports.resolve("TEST-com.example.AllowedCallTest.xml")), "AllowedCallTest passes");
        Path forbidden = reports.resolve("TEST-com.example.ForbiddenCallTest.xml");
        assertEquals(1, problems(forbidden), "ForbiddenCallTest fails");
        String forbiddenReport = Files.readString(forbidden, StandardCharsets.UTF_8);
        assertTrue(forbiddenReport.contains("not allowed by ruleset"),
                () -> "fails because enforce mode refused it: " + forbiddenReport);

        List<String> events = Files.readAllLines(build.projectDir().resolve("target/socksbridge-events.jsonl"));
        assertTrue(hasEvent(events, "127.0.0.1", "ok", "com.example.AllowedCallTest"),
                () -> "the allowed call is recorded with its caller: " + events);
        assertTrue(hasEvent(events, "127.0.0.2", "denied", "com.example.ForbiddenCallTest"),
                () -> "the refused call is recorded with its caller: " + events);
    }

    private static boolean hasEvent(List<String> jsonLines, String targetHost, String outcome, String callerClass) {
        return jsonLines.stream().anyMatch(line -> line.contains("\"target_host\":\"" + targetHost + "\"")
                && line.contains("\"outcome\":\"" + outcome + "\"")
                && line.contains("\"caller_class\":\"" + callerClass + "\""));
    }

    /** Failures plus errors in one surefire XML report. */
    private static int problems(Path report) throws Exception {
        assertTrue(Files.isRegularFile(report), () -> report + " is missing");
        Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile())
                .getDocumentElement();
        return Integer.parseInt(suite.getAttribute("failures")) + Integer.parseInt(suite.getAttribute("errors"));
    }

    private static String tail(String output) {
        List<String> lines = output.lines().collect(Collectors.toList());
        // Prefixed so that nobody reading this build's log takes the nested build's lines for its own.
        return lines.subList(Math.max(0, lines.size() - 60), lines.size()).stream()
                .map(line -> "  | " + line).collect(Collectors.joining("\n"));
    }
}
