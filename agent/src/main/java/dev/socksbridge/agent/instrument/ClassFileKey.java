package dev.socksbridge.agent.instrument;

import java.util.zip.CRC32;

/**
 * A checksum of a class file that does not depend on the order of its methods. The JVM rebuilds a
 * loaded class's bytes for retransformation with its methods in an order that changes from run to run
 * (HotSpot keeps them sorted by the address of their name), so the same {@code java.net.Socket} comes
 * with different bytes; everything else, the constant pool included, comes in its original order.
 * The key is the CRC-32 of the bytes before the methods, the methods' own CRC-32s sorted, and the bytes
 * after them (the class's attributes).
 */
final class ClassFileKey {

    private ClassFileKey() {
    }

    /** @throws IllegalArgumentException if {@code bytes} is not a well-formed class file */
    static long of(byte[] bytes) {
        try {
            return checksum(bytes);
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated class file", e);
        }
    }

    private static long checksum(byte[] bytes) {
        int at = skipConstantPool(bytes);
        at += 6; // access flags, this class, super class
        at += 2 + 2 * u2(bytes, at); // interfaces
        at = skipMembers(bytes, at); // fields
        int methodsStart = at;
        int count = u2(bytes, at);
        at += 2;
        long[] methods = new long[count];
        for (int i = 0; i < count; i++) {
            int start = at;
            at = skipMember(bytes, at);
            methods[i] = crc(bytes, start, at - start);
        }
        sort(methods);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, methodsStart + 2);
        for (long method : methods) {
            crc.update((int) (method >>> 24));
            crc.update((int) (method >>> 16));
            crc.update((int) (method >>> 8));
            crc.update((int) method);
        }
        crc.update(bytes, at, bytes.length - at);
        return crc.getValue();
    }

    /**
     * Insertion sort: a class has tens to a few hundred methods, and {@code Arrays.sort} on JDK 25 makes
     * lambdas the first time it runs (its parallel-sort plumbing), classes spun before the app's main.
     */
    private static void sort(long[] values) {
        for (int i = 1; i < values.length; i++) {
            long value = values[i];
            int j = i - 1;
            while (j >= 0 && values[j] > value) {
                values[j + 1] = values[j];
                j--;
            }
            values[j + 1] = value;
        }
    }

    /** @return the offset just after the constant pool (JVMS 4.4) */
    private static int skipConstantPool(byte[] bytes) {
        int count = u2(bytes, 8);
        int at = 10;
        for (int i = 1; i < count; i++) {
            int tag = bytes[at] & 0xff;
            at += switch (tag) {
                case 1 -> 3 + u2(bytes, at + 1); // Utf8
                case 3, 4, 9, 10, 11, 12, 17, 18 -> 5;
                case 5, 6 -> 9; // Long, Double: two entries
                case 7, 8, 16, 19, 20 -> 3;
                case 15 -> 4;
                default -> throw new IllegalArgumentException("constant pool tag " + tag + " at " + at);
            };
            if (tag == 5 || tag == 6) {
                i++;
            }
        }
        return at;
    }

    private static int skipMembers(byte[] bytes, int at) {
        int count = u2(bytes, at);
        at += 2;
        for (int i = 0; i < count; i++) {
            at = skipMember(bytes, at);
        }
        return at;
    }

    /** A field or method: flags, name, descriptor, attributes. */
    private static int skipMember(byte[] bytes, int at) {
        int attributes = u2(bytes, at + 6);
        at += 8;
        for (int i = 0; i < attributes; i++) {
            at += 6 + u4(bytes, at + 2);
        }
        return at;
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    private static int u2(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 8 | bytes[at + 1] & 0xff;
    }

    private static int u4(byte[] bytes, int at) {
        return u2(bytes, at) << 16 | u2(bytes, at + 2);
    }
}
