package dev.socksbridge.probe.callers;

import dev.socksbridge.probe.callers.billing.Charges;
import dev.socksbridge.probe.callers.reports.Reports;
import java.io.IOException;
import java.net.Socket;

/**
 * The app for the caller-policy tests: each argument {@code billing:port} or {@code reports:port} connects
 * to the loopback port from a different class ({@link Charges}, {@link Reports}), so the agent sees two
 * callers of one destination. Prints {@code PROBE name echoed=N} or {@code PROBE name exception=...}.
 */
public final class CallerProbeApp {

    private CallerProbeApp() {
    }

    public static void main(String[] args) {
        for (String scenario : args) {
            String[] parts = scenario.split(":");
            int port = Integer.parseInt(parts[1]);
            try {
                int echoed = switch (parts[0]) {
                    case "billing" -> Charges.call(port);
                    case "reports" -> Reports.call(port);
                    default -> throw new IllegalArgumentException("unknown scenario " + parts[0]);
                };
                System.out.println("PROBE " + parts[0] + " echoed=" + echoed);
            } catch (IOException e) {
                System.out.println("PROBE " + parts[0] + " exception=" + e.getClass().getName() + ": " + e.getMessage());
            }
        }
        System.out.println("PROBE done");
    }

    /** Sends 100 bytes, half-closes, and counts what comes back. */
    public static int echo(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(new byte[100]);
        socket.shutdownOutput();
        return socket.getInputStream().readAllBytes().length;
    }
}
