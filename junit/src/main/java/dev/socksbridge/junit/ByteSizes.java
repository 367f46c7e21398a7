package dev.socksbridge.junit;

import java.util.Locale;

/** Byte counts as people read them in a failure message: 512B, 4.1KiB, 3.0MiB. */
final class ByteSizes {

    private ByteSizes() {
    }

    static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1fKiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1fMiB", bytes / (1024.0 * 1024.0));
    }
}
