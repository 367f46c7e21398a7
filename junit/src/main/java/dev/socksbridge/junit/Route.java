package dev.socksbridge.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Routes a {@link Socksbridge} test's connections while the test method runs: {@code PATTERN -> ACTION} as
 * for the agent's {@code route=} option (docs/routes.md), e.g. a stand-in for a service the code under test
 * calls by name:
 *
 * <pre>{@code
 * @Route("api.payments.example:443 -> 127.0.0.1:${standInPort}")
 * }</pre>
 *
 * {@code ${name}} is replaced, just before the test method runs (after {@code @BeforeEach}), by the value of the
 * test instance's field or no-arg method {@code name} (static or not, any visibility, also inherited), else
 * the system property {@code name}: a port known only at run time. {@code ${env:NAME}} is left to the route
 * parser (an environment variable). The method's routes are tried before the class's (and before an enclosing
 * class's); routes added with {@link TestRoutes#add} before both. Repeatable.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(Route.List.class)
public @interface Route {

    /** {@code PATTERN -> ACTION}. */
    String value();

    /** The container of repeated {@link Route}s. */
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @Inherited
    @interface List {
        Route[] value();
    }
}
