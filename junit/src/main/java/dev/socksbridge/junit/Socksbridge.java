package dev.socksbridge.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records every outbound connection a test makes and, by default, fails the test when one of them goes
 * to a destination not declared with {@link AllowOutbound}.
 *
 * <p>Without the socksbridge agent, the extension starts an in-process SOCKS5 server and installs a
 * {@link java.net.ProxySelector} that routes {@code socket://}, {@code http://} and {@code https://}
 * destinations through it (restoring the previous selector afterwards). With the agent loaded
 * ({@code -javaagent:socksbridge-agent.jar}), it reads the agent's recordings instead.
 *
 * <p>On a class it applies to every test of the class (and its {@code @Nested} classes); on a method,
 * to that test only. A method-level annotation overrides the class-level attributes.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SocksbridgeExtension.class)
public @interface Socksbridge {

    /**
     * Also record connections to loopback addresses ({@code localhost}, 127.0.0.0/8, {@code ::1}), such as a
     * test's own local servers or a container's mapped port. Default {@code false}, as in the JDK's proxy
     * settings: loopback traffic is neither routed nor recorded.
     */
    boolean includeLoopback() default false;

    /** Fail the test when it connected to a destination no {@link AllowOutbound} declares. Default {@code true}. */
    boolean failOnUnexpected() default true;
}
