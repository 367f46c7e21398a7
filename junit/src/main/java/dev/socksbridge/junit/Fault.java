package dev.socksbridge.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fault in force while each test runs (on a class: every test of it; on a method: that test, in addition
 * to the class's), in the one textual form of socksbridge faults, e.g.
 * {@code @Fault("api.example.com:443->latency latency=2000")} or {@code @Fault("*.internal->refuse")}.
 * Added just before the test's {@code @BeforeEach} methods, removed just after its {@code @AfterEach}
 * methods. To change faults while a test runs, inject a {@link FaultInjection}. A malformed entry fails the
 * test, naming it and what was expected. Types, keys and units: {@code docs/faults.md}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(Fault.List.class)
public @interface Fault {

    /** {@code PATTERN->TYPE key=value ...}. */
    String value();

    /** Holds repeated {@link Fault}s. */
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @Inherited
    @interface List {
        Fault[] value();
    }
}
