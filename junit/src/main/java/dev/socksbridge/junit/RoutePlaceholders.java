package dev.socksbridge.junit;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fills {@code ${name}} in a {@link Route} from the test instance's fields and methods, or system properties. */
final class RoutePlaceholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_$][A-Za-z0-9_$]*)}");

    private RoutePlaceholders() {
    }

    /** @param instance the test instance; {@code null} when there is none (then only static members) */
    static String resolve(String route, Class<?> testClass, Object instance) {
        Matcher m = PLACEHOLDER.matcher(route);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(value(route, m.group(1), testClass, instance)));
        }
        return m.appendTail(out).toString();
    }

    private static String value(String route, String name, Class<?> testClass, Object instance) {
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                return String.valueOf(read(field, instance));
            } catch (NoSuchFieldException e) {
                // try a method, then the superclass
            }
            try {
                Method method = c.getDeclaredMethod(name);
                return String.valueOf(call(method, instance));
            } catch (NoSuchMethodException e) {
                // try the superclass
            }
        }
        String property = System.getProperty(name);
        if (property != null) {
            return property;
        }
        throw new IllegalArgumentException("@Route(\"" + route + "\"): ${" + name + "} (expected: a field or no-arg"
                + " method of " + testClass.getName() + ", or a system property, named " + name + ")");
    }

    private static Object read(Field field, Object instance) {
        try {
            field.setAccessible(true);
            return field.get(Modifier.isStatic(field.getModifiers()) ? null : instance);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalArgumentException("@Route: cannot read field " + field + ": " + e, e);
        }
    }

    private static Object call(Method method, Object instance) {
        try {
            method.setAccessible(true);
            return method.invoke(Modifier.isStatic(method.getModifiers()) ? null : instance);
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            throw new IllegalArgumentException("@Route: calling " + method + " failed: " + e, e);
        }
    }
}
