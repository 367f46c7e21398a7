package dev.socksbridge.probe.callers.billing;

import dev.socksbridge.probe.callers.CallerProbeApp;
import java.io.IOException;
import java.net.Socket;

/** One caller of the destination (the one the policy is learned from). */
public final class Charges {

    private Charges() {
    }

    public static int call(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return CallerProbeApp.echo(socket);
        }
    }
}
