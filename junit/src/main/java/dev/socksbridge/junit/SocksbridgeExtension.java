package dev.socksbridge.junit;

import dev.socksbridge.proxy.HostPattern;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link Socksbridge}: holds a {@link Capture} lease for the class (or the method),
 * opens a {@link RecordedConnections} window for each test, and fails the test at its end when it made
 * connections no {@link AllowOutbound} declares.
 */
public final class SocksbridgeExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, BeforeTestExecutionCallback, AfterTestExecutionCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SocksbridgeExtension.class);
    private static final String LEASE = "lease";
    private static final String RECORDING = "recording";
    private static final String FAULTS = "faults";
    private static final Duration OUTCOME_GRACE = Duration.ofSeconds(5);

    @Override
    public void beforeAll(ExtensionContext context) {
        Socksbridge settings = settingsOf(context.getRequiredTestClass(), null);
        store(context).put(LEASE, Capture.acquire(settings.includeLoopback()));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Capture.Lease lease = store(context).remove(LEASE, Capture.Lease.class);
        if (lease != null) {
            lease.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Socksbridge settings = settingsOf(context.getRequiredTestClass(), context.getRequiredTestMethod());
        List<HostPattern> allowed = allowedFor(context); // fails early on a malformed entry
        // A method lease as well: it keeps loopback routing on for this test even when the class's lease does not.
        store(context).put(LEASE, Capture.acquire(settings.includeLoopback()));
        RecordedConnections recording = new RecordedConnections(testName(context), Thread.currentThread(),
                settings.includeLoopback(), Instant.now());
        store(context).put(RECORDING, new Window(recording, allowed, settings.failOnUnexpected()));
        ConnectionRecorder.INSTANCE.begin(recording);
        FaultInjection faults = new FaultInjection(Capture.source());
        store(context).put(FAULTS, faults);
        for (String spec : declaredFaults(context)) {
            try {
                faults.add(spec);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("@Fault: " + e.getMessage(), e);
            }
        }
    }

    /** Every {@link Fault} on the class, its superclasses and enclosing classes, then on the method. */
    static List<String> declaredFaults(ExtensionContext context) {
        List<String> specs = new ArrayList<>();
        for (Class<?> c : declaringClasses(context)) {
            for (Fault fault : c.getDeclaredAnnotationsByType(Fault.class)) {
                specs.add(fault.value());
            }
        }
        context.getTestMethod().ifPresent(m -> AnnotationSupport.findRepeatableAnnotations(m, Fault.class)
                .forEach(f -> specs.add(f.value())));
        return specs;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Window window = store(context).remove(RECORDING, Window.class);
        Capture.Lease lease = store(context).remove(LEASE, Capture.Lease.class);
        FaultInjection faults = store(context).remove(FAULTS, FaultInjection.class);
        try {
            if (faults != null) {
                faults.clear(); // before the lease: the server the faults live in may stop with it
            }
            if (window != null) {
                ConnectionRecorder.INSTANCE.end(window.recording);
                window.verify();
            }
        } finally {
            if (lease != null) {
                lease.close();
            }
        }
    }

    /** After {@code @BeforeEach}, so a {@link Route} placeholder can name what it set up. */
    @Override
    public void beforeTestExecution(ExtensionContext context) {
        TestRoutes.begin(RouteAnnotations.of(context));
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        TestRoutes.end();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == RecordedConnections.class || type == FaultInjection.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        if (parameterContext.getParameter().getType() == FaultInjection.class) {
            FaultInjection faults = extensionContext.getTestMethod().isPresent()
                    ? store(extensionContext).get(FAULTS, FaultInjection.class) : null;
            if (faults == null) {
                throw new ParameterResolutionException("FaultInjection can be injected into @Test, @BeforeEach "
                        + "and @AfterEach methods of a @Socksbridge test, not into "
                        + parameterContext.getDeclaringExecutable());
            }
            return faults;
        }
        Window window = extensionContext.getTestMethod().isPresent()
                ? store(extensionContext).get(RECORDING, Window.class) : null;
        if (window == null) {
            throw new ParameterResolutionException("RecordedConnections can be injected into @Test, @BeforeEach "
                    + "and @AfterEach methods of a @Socksbridge test, not into "
                    + parameterContext.getDeclaringExecutable());
        }
        return window.recording;
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(NAMESPACE);
    }

    /** The method's annotation, else the nearest one on the class, its superclasses or enclosing classes. */
    static Socksbridge settingsOf(Class<?> testClass, Method method) {
        if (method != null) {
            Optional<Socksbridge> onMethod = AnnotationSupport.findAnnotation(method, Socksbridge.class);
            if (onMethod.isPresent()) {
                return onMethod.get();
            }
        }
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            Optional<Socksbridge> onClass = AnnotationSupport.findAnnotation(c, Socksbridge.class);
            if (onClass.isPresent()) {
                return onClass.get();
            }
        }
        return Defaults.SETTINGS;
    }

    /** Every {@link AllowOutbound} entry on the method, the class and its superclasses, and enclosing classes. */
    static List<HostPattern> allowedFor(ExtensionContext context) {
        List<String> entries = new ArrayList<>();
        context.getTestMethod().ifPresent(m -> AnnotationSupport.findAnnotation(m, AllowOutbound.class)
                .ifPresent(a -> entries.addAll(List.of(a.value()))));
        for (Class<?> c : declaringClasses(context)) {
            AllowOutbound declared = c.getDeclaredAnnotation(AllowOutbound.class);
            if (declared != null) {
                entries.addAll(List.of(declared.value()));
            }
        }
        return RecordedConnections.patterns(entries);
    }

    /** The test class, its superclasses, then each enclosing class and its superclasses: where class annotations count. */
    private static List<Class<?>> declaringClasses(ExtensionContext context) {
        List<Class<?>> classes = new ArrayList<>();
        for (Class<?> outer = context.getRequiredTestClass(); outer != null; outer = outer.getEnclosingClass()) {
            for (Class<?> c = outer; c != null && c != Object.class; c = c.getSuperclass()) {
                classes.add(c);
            }
        }
        return classes;
    }

    static String testName(ExtensionContext context) {
        String name = context.getRequiredTestClass().getName() + "#" + context.getRequiredTestMethod().getName() + "()";
        String display = context.getDisplayName();
        // Parameterized and repeated tests share a method: the display name tells the invocations apart.
        return display.equals(context.getRequiredTestMethod().getName() + "()") ? name : name + " [" + display + "]";
    }

    /** One test's recording and what it may connect to. */
    private static final class Window {
        final RecordedConnections recording;
        final List<HostPattern> allowed;
        final boolean failOnUnexpected;

        Window(RecordedConnections recording, List<HostPattern> allowed, boolean failOnUnexpected) {
            this.recording = recording;
            this.allowed = allowed;
            this.failOnUnexpected = failOnUnexpected;
        }

        void verify() {
            if (!failOnUnexpected) {
                return;
            }
            if (recording.unexpected(allowed).isEmpty()) {
                return;
            }
            try {
                // The test fails either way; a bounded wait lets the message show how those calls ended.
                recording.awaitClosed(c -> RecordedConnections.isUnexpected(c, allowed), OUTCOME_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<RecordedConnection> unexpected = recording.unexpected(allowed);
            throw new AssertionError(UnexpectedConnections.message(recording, unexpected, allowed));
        }
    }

    /** The attribute defaults, for a test that got here without the annotation (a plain {@code @ExtendWith}). */
    @Socksbridge
    private static final class Defaults {
        static final Socksbridge SETTINGS = Defaults.class.getAnnotation(Socksbridge.class);
    }
}
