package dev.socksbridge.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.agent.report.EventsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentOutputsTest {

    @TempDir
    Path dir;

    @Test
    void anEventsFileInAMissingDirectoryNamesTheOption() {
        String file = dir.resolve("missing/events.jsonl").toString();
        AgentOptionsException e = assertThrows(AgentOptionsException.class, () -> AgentOutputs.openEvents(file));
        assertTrue(e.getMessage().startsWith("socksbridge: option events=" + file + ": cannot open the file"),
                e.getMessage());
        assertTrue(e.getMessage().contains("expected: a writable file in an existing directory"), e.getMessage());
    }

    @Test
    void aLogFileInAMissingDirectoryNamesTheOption() {
        String file = dir.resolve("missing/agent.log").toString();
        AgentOptionsException e = assertThrows(AgentOptionsException.class, () -> AgentOutputs.configureLog(file));
        assertTrue(e.getMessage().startsWith("socksbridge: option log=" + file + ": cannot open the file"),
                e.getMessage());
    }

    @Test
    void noEventsOptionMeansNoFile() {
        assertNull(AgentOutputs.openEvents(null));
    }

    @Test
    void anEventsFileIsCreatedAndAppendedTo() throws Exception {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, "earlier\n");
        try (EventsFile events = AgentOutputs.openEvents(file.toString())) {
            assertTrue(Files.exists(file));
        }
        assertEquals("earlier\n", Files.readString(file));
    }
}
