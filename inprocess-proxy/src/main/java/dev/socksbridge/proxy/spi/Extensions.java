package dev.socksbridge.proxy.spi;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The hooks an in-process agent plugs into the server, and nothing a standalone server needs: set with
 * {@code Socks5Server.Builder.extensions}. Immutable; each {@code with...} returns a copy.
 *
 * @param transparentRoutes  clients that send no handshake, by client port ({@link TransparentRoutes})
 * @param tagger             the caller tag each request context carries ({@link SessionTagger})
 * @param taskDecorator      wraps each task the server runs on its session threads (a session's handshake
 *                           and request, its relay halves, a UDP association's relay); the wrapper runs on
 *                           the session thread, around the task, and must not return null (the session is
 *                           then refused or aborted). An agent marks those threads as its own, so that what
 *                           the proxy sends, dials and resolves on a client's behalf is never taken for the
 *                           application's traffic
 * @param passwordlessLogins with {@code Credentials} set, also admit a login with an empty password, as
 *                           not authenticated ({@code authenticated()} false in the request context): the
 *                           JDK's own SOCKS client sends {@code user.name} and no password, so an agent's
 *                           policy can admit its JVM's sockets by their tag and outsiders only when
 *                           authenticated
 */
public record Extensions(TransparentRoutes transparentRoutes, SessionTagger tagger,
        UnaryOperator<Runnable> taskDecorator, boolean passwordlessLogins) {

    /** No extension: what a standalone server runs with. */
    public static final Extensions NONE =
            new Extensions(TransparentRoutes.NONE, SessionTagger.NONE, Undecorated.TASKS, false);

    public Extensions {
        Objects.requireNonNull(transparentRoutes, "transparentRoutes");
        Objects.requireNonNull(tagger, "tagger");
        Objects.requireNonNull(taskDecorator, "taskDecorator");
    }

    /** Runs tasks as they are. An enum, not {@code UnaryOperator.identity()}: that is a lambda, made at start-up. */
    private enum Undecorated implements UnaryOperator<Runnable> {
        TASKS;

        @Override
        public Runnable apply(Runnable task) {
            return task;
        }
    }

    public Extensions withTransparentRoutes(TransparentRoutes routes) {
        return new Extensions(routes, tagger, taskDecorator, passwordlessLogins);
    }

    public Extensions withTagger(SessionTagger sessionTagger) {
        return new Extensions(transparentRoutes, sessionTagger, taskDecorator, passwordlessLogins);
    }

    public Extensions withTaskDecorator(UnaryOperator<Runnable> decorator) {
        return new Extensions(transparentRoutes, tagger, decorator, passwordlessLogins);
    }

    public Extensions withPasswordlessLogins(boolean admit) {
        return new Extensions(transparentRoutes, tagger, taskDecorator, admit);
    }
}
