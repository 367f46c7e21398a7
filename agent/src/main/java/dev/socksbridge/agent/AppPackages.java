package dev.socksbridge.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The default of {@code app-packages=}: the package of the app's main class, read once at start-up from
 * {@code sun.java.command} (the main class, {@code module/class}, or the jar {@code -jar} ran). For a jar it
 * is the manifest's {@code Start-Class} (a Spring Boot jar, whose {@code Main-Class} is Boot's launcher),
 * else its {@code Main-Class}. Empty when none is known (a class in the unnamed package, an unreadable jar):
 * then no app frame is looked for.
 */
final class AppPackages {

    private AppPackages() {
    }

    static List<String> ofMainClass() {
        return of(System.getProperty("sun.java.command"));
    }

    /** @param command the value of {@code sun.java.command}: what {@code java} ran, then its arguments */
    static List<String> of(String command) {
        String launched = launched(command);
        if (launched == null) {
            return List.of();
        }
        String mainClass = launched.endsWith(".jar") ? mainClassOf(Path.of(launched)) : launched;
        return packageOf(mainClass);
    }

    /** The jar (whose path may hold spaces) or the main class, without the arguments. */
    private static String launched(String command) {
        if (command == null || command.isBlank()) {
            return null;
        }
        String trimmed = command.strip();
        int jar = trimmed.indexOf(".jar ");
        if (jar > 0 || trimmed.endsWith(".jar")) {
            return jar > 0 ? trimmed.substring(0, jar + 4) : trimmed;
        }
        int space = trimmed.indexOf(' ');
        String first = space < 0 ? trimmed : trimmed.substring(0, space);
        return first.substring(first.indexOf('/') + 1); // module/class: the class
    }

    private static String mainClassOf(Path jar) {
        if (!Files.isRegularFile(jar)) {
            return null;
        }
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return null;
            }
            Attributes main = manifest.getMainAttributes();
            String start = main.getValue("Start-Class");
            return start != null ? start.strip() : main.getValue(Attributes.Name.MAIN_CLASS);
        } catch (IOException | SecurityException e) {
            return null; // no default: the app frame is simply not looked for
        }
    }

    private static List<String> packageOf(String className) {
        int dot = className == null ? -1 : className.strip().lastIndexOf('.');
        return dot <= 0 ? List.of() : List.of(className.strip().substring(0, dot + 1));
    }
}
