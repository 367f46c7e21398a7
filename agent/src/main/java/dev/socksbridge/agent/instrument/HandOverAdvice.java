package dev.socksbridge.agent.instrument;

import dev.socksbridge.agent.bootstrap.AsyncCallers;
import net.bytebuddy.asm.Advice;

/**
 * The advice for an object made on the app's thread that connects later on another one (an
 * {@code HttpClient} exchange, an OkHttp connect plan): its constructor remembers the caller, and the
 * method that connects runs as that caller ({@link AsyncCallers#remember}, {@link AsyncCallers#enter}).
 */
final class HandOverAdvice {

    private HandOverAdvice() {
    }

    /** Inlined at the exit of the object's constructor: it remembers who made it. */
    static final class Made {
        private Made() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object maker) {
            AsyncCallers.remember(maker);
        }
    }

    /** Around the method that connects: its connects run as the object's maker. */
    static final class Step {
        private Step() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object maker) {
            return AsyncCallers.enter(maker);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object previous) {
            AsyncCallers.exit(previous);
        }
    }
}
