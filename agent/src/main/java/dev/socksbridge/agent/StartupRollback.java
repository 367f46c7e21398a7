package dev.socksbridge.agent;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Makes the agent's start-up all or nothing: each step that changes the JVM first leaves here how to
 * undo it, and a failure undoes everything done so far, newest first, before the one report of on-error.
 */
final class StartupRollback {

    private final Deque<Runnable> undo = new ArrayDeque<>();

    /** Registered before the step runs, so a step that fails part-way is undone too. */
    void onFailure(Runnable action) {
        undo.push(action);
    }

    /** Runs each undo action once; never throws (the start-up failure is the one to report). */
    void undo() {
        while (!undo.isEmpty()) {
            try {
                undo.pop().run();
            } catch (RuntimeException | Error e) {
                // keep undoing the rest: every step left behind is a change the app did not ask for
            }
        }
    }
}
