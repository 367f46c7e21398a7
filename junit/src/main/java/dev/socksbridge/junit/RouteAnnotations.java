package dev.socksbridge.junit;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** The {@link Route}s of a test, the method's first, then its class's, superclasses' and enclosing classes'. */
final class RouteAnnotations {

    private RouteAnnotations() {
    }

    static List<String> of(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        Object instance = context.getTestInstance().orElse(null);
        List<String> routes = new ArrayList<>();
        context.getTestMethod().ifPresent(m -> AnnotationSupport.findRepeatableAnnotations(m, Route.class)
                .forEach(r -> routes.add(RoutePlaceholders.resolve(r.value(), testClass, instance))));
        for (Class<?> outer = testClass; outer != null; outer = outer.getEnclosingClass()) {
            for (Class<?> c = outer; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Route route : c.getDeclaredAnnotationsByType(Route.class)) {
                    routes.add(RoutePlaceholders.resolve(route.value(), testClass, instance));
                }
            }
        }
        return routes;
    }
}
