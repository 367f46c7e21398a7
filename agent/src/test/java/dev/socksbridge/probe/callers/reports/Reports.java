package dev.socksbridge.probe.callers.reports;

import dev.socksbridge.probe.callers.CallerProbeApp;
import java.io.IOException;
import java.net.Socket;

/** Another caller of the same destination (new to a policy learned from {@code Charges}). */
public final class Reports {

    private Reports() {
    }

    public static int call(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return CallerProbeApp.echo(socket);
        }
    }
}
