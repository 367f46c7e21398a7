package dev.socksbridge.it;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints why a test or class was skipped (e.g. "Docker is not available"): Maven's summary only counts
 * skips, and a container IT that silently skips is indistinguishable from one that passed.
 * Registered through META-INF/services.
 */
public final class SkipReasonPrinter implements TestExecutionListener {

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        System.out.println("SKIPPED " + test.getDisplayName() + ": " + reason);
    }
}
