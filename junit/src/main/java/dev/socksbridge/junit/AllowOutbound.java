package dev.socksbridge.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Destinations a test may connect to without failing. On a class, every test of the class (and of its
 * {@code @Nested} classes) may use them; on a method, they are added to the class's.
 *
 * <p>Each entry is {@code host}, {@code host:port} or {@code host:*}, where host is
 * <ul>
 *   <li>a name, compared case-insensitively with the name the code used ({@code api.example.com});</li>
 *   <li>{@code *.suffix}: any name ending in {@code .suffix} ({@code *.internal});</li>
 *   <li>an IP literal ({@code 10.1.2.3}, {@code [::1]}) or a CIDR block ({@code 10.0.0.0/8}), compared with
 *       the address the code asked for and the address the connection reached;</li>
 *   <li>{@code localhost}: the name localhost and any loopback address;</li>
 *   <li>{@code *}: any host.</li>
 * </ul>
 * Without a port (or with {@code *}) any port matches.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AllowOutbound {

    /** E.g. {@code {"api.example.com:443", "localhost:*", "*.internal"}}. */
    String[] value();
}
