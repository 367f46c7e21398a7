package dev.socksbridge.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppPackagesTest {

    @TempDir
    Path dir;

    @Test
    void theMainClassesPackageWithItsArgumentsIgnored() {
        assertEquals(List.of("com.acme.billing."), AppPackages.of("com.acme.billing.Main --port 8080"));
        assertEquals(List.of("com.acme."), AppPackages.of("com.acme.Main"));
        assertEquals(List.of("com.acme.app."), AppPackages.of("acme.app/com.acme.app.Main x"), "module/class");
    }

    @Test
    void noneForTheUnnamedPackageOrAnUnknownCommand() {
        assertEquals(List.of(), AppPackages.of("Main"));
        assertEquals(List.of(), AppPackages.of(null));
        assertEquals(List.of(), AppPackages.of(" "));
        assertEquals(List.of(), AppPackages.of(dir.resolve("missing.jar") + " arg"), "an unreadable jar: none");
    }

    @Test
    void aJarsMainClassAndSpringBootsStartClassWin() throws IOException {
        Path plain = jar("plain app.jar", "Main-Class", "org.example.shop.ShopMain", null);
        assertEquals(List.of("org.example.shop."), AppPackages.of(plain + " --flag"), "a path with a space");
        Path boot = jar("boot.jar", "Main-Class", "org.springframework.boot.loader.launch.JarLauncher",
                "com.acme.orders.OrdersApplication");
        assertEquals(List.of("com.acme.orders."), AppPackages.of(boot.toString()));
    }

    private Path jar(String name, String key, String mainClass, String startClass) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue(key, mainClass);
        if (startClass != null) {
            manifest.getMainAttributes().putValue("Start-Class", startClass);
        }
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            return jar;
        }
    }
}
