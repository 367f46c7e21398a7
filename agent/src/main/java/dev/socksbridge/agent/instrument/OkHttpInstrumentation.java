package dev.socksbridge.agent.instrument;

import dev.socksbridge.agent.bootstrap.AsyncCallers;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.dynamic.ClassFileLocator;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * OkHttp 5 connects on its own task threads by default ("fast fallback" races a host's addresses), so the
 * connect's stack has OkHttp's frames and no app frame. Each attempt is an
 * {@code okhttp3.internal.connection.ConnectPlan}, made on the calling thread (the app's, for
 * {@code execute()}) and connected by {@code connectTcp()} on a task thread: the plan remembers the caller
 * it was made by, and {@code connectTcp()} hands it over ({@link AsyncCallers}), so the connect names the
 * app's frame beside OkHttp's. Matched by name in any class loader and under any package prefix (a
 * library's relocated copy); a class that does not match the advice is left as it is, with one warning.
 */
final class OkHttpInstrumentation {

    /** Internal name, as the class file transformer sees it (matched by {@link ClassNames#isOrRelocates}). */
    static final String CONNECT_PLAN = "okhttp3/internal/connection/ConnectPlan";

    private OkHttpInstrumentation() {
    }

    static AsmVisitorWrapper wrapper(ClassFileLocator advice) {
        return new AsmVisitorWrapper.ForDeclaredMethods()
                .constructor(isConstructor().and(not(isSynthetic())), Advice.to(HandOverAdvice.Made.class, advice))
                .method(named("connectTcp").and(takesArguments(0)), Advice.to(HandOverAdvice.Step.class, advice));
    }
}
