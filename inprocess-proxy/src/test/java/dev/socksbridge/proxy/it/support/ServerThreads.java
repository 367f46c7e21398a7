package dev.socksbridge.proxy.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds live threads by name prefix, virtual ones included. {@link Thread#getAllStackTraces()} lists
 * platform threads only, so on JDK 21+ this also reads a JSON thread dump
 * ({@code HotSpotDiagnosticMXBean.dumpThreads}, found by reflection because the tests compile for 17),
 * which lists every virtual thread started with the Thread API.
 */
public final class ServerThreads {

    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*)\"");

    private ServerThreads() {
    }

    /** Names of live threads, platform and (on 21+) virtual, that start with {@code prefix}. */
    public static List<String> alive(String prefix) {
        List<String> names = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && thread.getName().startsWith(prefix)) {
                names.add(thread.getName());
            }
        }
        for (String name : threadDumpNames()) {
            if (name.startsWith(prefix) && !names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * Like {@link #alive}, without the platform threads idle in a pool: on JDK 17 a server's session
     * threads wait there (30 s) for the next session, which is reuse, not a leak.
     */
    public static List<String> busy(String prefix) {
        List<String> names = alive(prefix);
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (idleInPool(stack)) {
                names.remove(thread.getName());
            }
        });
        return names;
    }

    private static boolean idleInPool(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().equals("java.util.concurrent.ThreadPoolExecutor")
                    && frame.getMethodName().equals("getTask")) {
                return true;
            }
        }
        return false;
    }

    /** Whether this JVM has virtual threads (21+). */
    public static boolean virtualThreadsAvailable() {
        return Runtime.version().feature() >= 21;
    }

    /** Every thread name in a JSON thread dump; empty before JDK 21 (no such dump there). */
    private static List<String> threadDumpNames() {
        if (!virtualThreadsAvailable()) {
            return List.of();
        }
        try {
            Path dir = Files.createTempDirectory("threads");
            Path file = dir.resolve("dump.json");
            try {
                dumpThreadsAsJson(file);
                List<String> names = new ArrayList<>();
                Matcher matcher = NAME.matcher(Files.readString(file));
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
                return names;
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("thread dump", e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void dumpThreadsAsJson(Path file) throws IOException {
        try {
            Class<? extends PlatformManagedObject> type = (Class<? extends PlatformManagedObject>)
                    Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Class<? extends Enum> format = (Class<? extends Enum>)
                    Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            Object bean = ManagementFactory.getPlatformMXBean(type);
            Method dump = type.getMethod("dumpThreads", String.class, format);
            dump.invoke(bean, file.toAbsolutePath().toString(), Enum.valueOf(format, "JSON"));
        } catch (ReflectiveOperationException e) {
            throw new IOException("HotSpotDiagnosticMXBean.dumpThreads(JSON) on JDK " + Runtime.version(), e);
        }
    }
}
