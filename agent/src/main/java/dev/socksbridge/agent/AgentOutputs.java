package dev.socksbridge.agent;

import dev.socksbridge.agent.inventory.InventoryException;
import dev.socksbridge.agent.inventory.InventoryHook;
import dev.socksbridge.agent.inventory.LearnScope;
import dev.socksbridge.agent.report.EventsFile;
import dev.socksbridge.agent.report.LogSink;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Opens the files {@code log=} and {@code events=} name. A file that cannot be opened is a bad option
 * value, so the one warning line names the option and what was expected rather than only the I/O error.
 */
final class AgentOutputs {

    private AgentOutputs() {
    }

    static void configureLog(String log) {
        try {
            LogSink.configure(log);
        } catch (IOException | RuntimeException e) {
            throw cannotWrite("log", log, e);
        }
    }

    /** @return the events file, or {@code null} when {@code events=} was not given */
    static EventsFile openEvents(String events) {
        if (events == null) {
            return null;
        }
        try {
            return new EventsFile(Path.of(events));
        } catch (IOException | InvalidPathException e) {
            throw cannotWrite("events", events, e);
        }
    }

    /** Starts gathering for {@code learn=} and {@code report=}; a malformed learn file is a bad option value. */
    static void startInventory(String learn, LearnScope scope, String report) {
        try {
            InventoryHook.start(learn, scope, report);
        } catch (InventoryException e) {
            throw new AgentOptionsException("socksbridge: " + e.getMessage());
        }
    }

    private static AgentOptionsException cannotWrite(String key, String file, Exception e) {
        return new AgentOptionsException("socksbridge: option " + key + "=" + file + ": cannot open the file for"
                + " appending (" + e + "; expected: a writable file in an existing directory)");
    }
}
