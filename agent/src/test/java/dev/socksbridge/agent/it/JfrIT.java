package dev.socksbridge.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socksbridge.Connection JFR events of a child JVM recording with -XX:StartFlightRecording: every
 * connection of the events file is in the recording with the same fields, read with the JDK's
 * RecordingFile API and printed by its jfr tool.
 */
class JfrIT {

    @RegisterExtension
    static final LoopbackTargets TARGETS = new LoopbackTargets();

    @TempDir
    Path dir;

    @Test
    void everyConnectionIsARecordedEventWithItsFields() throws Exception {
        Path recording = dir.resolve("rec.jfr");
        Path events = dir.resolve("events.jsonl");
        List<String> command = Fixtures.probe(Fixtures.currentJava(),
                "include-loopback=true,mode=enforce,deny=blocked.invalid,summary=off,events=" + events, List.of(),
                List.of("-XX:StartFlightRecording=filename=" + recording), "socket:" + TARGETS.echoPort(),
                "http:" + TARGETS.httpPort(), "denied:80:blocked.invalid", "await:0");
        try (ChildJvm child = ChildJvm.start(command)) {
            // The recording is written at exit; wait until the agent reported all three connections first.
            assertTrue(child.awaitStdout("PROBE await"::equals, ProbeSupport.RUN_LIMIT).isPresent(), child.output());
            assertTrue(child.awaitStderr(l -> l.startsWith("socksbridge conn#3 "), ProbeSupport.RUN_LIMIT).isPresent(),
                    child.output());
            child.send("go");
            assertEquals(0, child.awaitExit(ProbeSupport.RUN_LIMIT), child.output());
        }
        List<Map<String, Object>> connections = Events.read(events).stream()
                .filter(e -> "connect".equals(e.get("command"))).toList();
        assertEquals(3, connections.size(), connections.toString());

        Map<Long, RecordedEvent> recorded = new HashMap<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (event.getEventType().getName().equals("socksbridge.Connection")) {
                recorded.put(event.getLong("connectionId"), event);
            }
        }
        for (Map<String, Object> expected : connections) {
            RecordedEvent event = recorded.get((Long) expected.get("id"));
            assertTrue(event != null, "no JFR event for " + expected + " in " + recorded.keySet());
            assertFields(expected, event);
        }
        assertEquals(connections.size(), recorded.size(), recorded.toString());

        String printed = jfrPrint(recording);
        for (Map<String, Object> expected : connections) {
            assertTrue(printed.contains("connectionId = " + expected.get("id") + "\n"), printed);
            assertTrue(printed.contains("destination = \"" + expected.get("target_host") + ":" + expected.get("target_port")
                    + "\""), printed);
        }
        assertTrue(printed.contains("policy = \"denied\""), printed);
        assertTrue(printed.contains("callerClass = \"dev.socksbridge.probe.ProbeApp\""), printed);
    }

    @Test
    void withoutARecordingNoEventClassIsLoaded() throws Exception {
        List<String> command = Fixtures.probe(Fixtures.currentJava(), "include-loopback=true,summary=off", List.of(),
                List.of("-Xlog:class+load=info"), "socket:" + TARGETS.echoPort(), "http:" + TARGETS.httpPort());
        ChildJvm child = ProbeSupport.runOk(command);
        List<String> loaded = child.stdoutLines().stream().filter(l -> l.contains("source:")).toList();
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" dev.socksbridge.agent.inventory.InventoryHook ")),
                "the hook ran (else this test proves nothing)\n" + child.output());
        for (String absent : List.of(" jdk.jfr.Event ", " dev.socksbridge.agent.inventory.JfrEvents ",
                " dev.socksbridge.agent.inventory.JfrConnection ", " dev.socksbridge.agent.inventory.EgressEvent ")) {
            assertTrue(loaded.stream().noneMatch(l -> l.contains(absent)), absent + " was loaded\n" + child.output());
        }
    }

    private static void assertFields(Map<String, Object> expected, RecordedEvent event) {
        String where = expected + "\n" + event;
        assertEquals(expected.get("target_host") + ":" + expected.get("target_port"), event.getString("destination"), where);
        assertEquals(expected.get("resolved"), event.getString("reached"), where);
        assertEquals(expected.get("outcome"), event.getString("outcome"), where);
        assertEquals(expected.get("policy"), event.getString("policy"), where);
        assertEquals(expected.get("route"), event.getString("route"), where);
        assertEquals(expected.get("protocol"), event.getString("protocol"), where);
        assertEquals(expected.get("bytes_up"), event.getLong("bytesUp"), where);
        assertEquals(expected.get("bytes_down"), event.getLong("bytesDown"), where);
        assertEquals(expected.get("duration_ms"), event.getDuration("connectDuration").toMillis(), where);
        assertEquals(expected.get("start"), event.getInstant("connectStart").toString(), where);
        assertEquals(expected.get("caller_class"), event.getString("callerClass"), where);
        assertEquals(expected.get("caller_method"), event.getString("callerMethod"), where);
        assertEquals(((Long) expected.get("caller_line")).intValue(), event.getInt("callerLine"), where);
        assertEquals(expected.get("thread"), event.getString("callerThread"), where);
        assertEquals(expected.get("failure"), event.getString("failure"), where);
    }

    /** {@code $JAVA_HOME/bin/jfr print --events socksbridge.Connection FILE}, bounded. */
    private static String jfrPrint(Path recording) throws Exception {
        Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
        Process process = new ProcessBuilder(jfr.toString(), "print", "--events", "socksbridge.Connection",
                recording.toString()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS), "jfr print did not end");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        return text;
    }
}
