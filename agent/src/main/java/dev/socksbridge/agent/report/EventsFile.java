package dev.socksbridge.agent.report;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.EventJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The {@code events=FILE} JSON Lines file; each line is flushed when written, so a crash loses nothing written. */
public final class EventsFile implements AutoCloseable {

    private final Writer writer;
    private boolean closed;

    public EventsFile(Path file) throws IOException {
        this.writer = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    }

    public synchronized void write(ConnectionEvent record) throws IOException {
        if (closed) {
            return;
        }
        writer.write(EventJson.toJson(record));
        writer.write('\n');
        writer.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            writer.close();
        }
    }
}
