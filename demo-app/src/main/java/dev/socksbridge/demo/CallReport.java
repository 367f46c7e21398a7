package dev.socksbridge.demo;

import java.util.Locale;

/** What one call did, printed as one line: {@code demo [round.n] name target ok: detail (N ms)}. */
record CallReport(int round, int index, DemoCall call, boolean ok, String detail, long millis) {

    /** Makes the call; whatever it throws is its result, not an error of the demo. */
    static CallReport run(int round, int index, DemoCall call) {
        long start = System.nanoTime();
        boolean ok;
        String detail;
        try {
            detail = call.call();
            ok = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            detail = e.toString();
            ok = false;
        } catch (Exception e) {
            detail = e.toString();
            ok = false;
        }
        return new CallReport(round, index, call, ok, detail, (System.nanoTime() - start) / 1_000_000);
    }

    String line() {
        return String.format(Locale.ROOT, "demo [%d.%d] %-20s %-21s %s: %s (%d ms)",
                round, index, call.name(), LocalTargets.text(call.target()), ok ? "ok" : "failed", detail, millis);
    }
}
