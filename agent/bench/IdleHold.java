import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Memory per idle connection as the JVM sees it (a benchmark, not a test): opens C1, then C2
 * java.net.Socket connections to an echo server in another process (the shared harness's target), and
 * after each step prints the live heap after a full GC and the native memory outside the heap (NMT summary,
 * committed minus Java Heap; run with -XX:NativeMemoryTracking=summary). Then sends 64 bytes on every
 * connection and counts the echoes. Usage: IdleHold HOST PORT C1 C2
 */
public final class IdleHold {

    public static void main(String[] args) throws Exception {
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int c1 = Integer.parseInt(args[2]);
        int c2 = Integer.parseInt(args[3]);
        List<Socket> held = new ArrayList<>();
        long[] base = measure();
        long[] first = openUpTo(held, c1, target);
        long[] second = openUpTo(held, c2, target);
        int echoed = 0;
        byte[] ping = new byte[64];
        byte[] back = new byte[64];
        for (Socket s : held) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(ping);
            InputStream in = s.getInputStream();
            int got = 0;
            while (got < 64) {
                int n = in.read(back, got, 64 - got);
                if (n < 0) {
                    break;
                }
                got += n;
            }
            echoed += got == 64 ? 1 : 0;
        }
        for (Socket s : held) {
            s.close();
        }
        System.out.printf("held %d, echoed %d%n", held.size(), echoed);
        System.out.printf("0: heap %d KiB, native %d KiB, threads %d%n", base[0], base[1], base[2]);
        System.out.printf("%d: heap %d KiB, native %d KiB, threads %d%n", c1, first[0], first[1], first[2]);
        System.out.printf("%d: heap %d KiB, native %d KiB, threads %d%n", c2, second[0], second[1], second[2]);
        double n = c2 - c1;
        System.out.printf("per connection (%d -> %d): heap %.1f KiB + native %.1f KiB = %.1f KiB%n", c1, c2,
                (second[0] - first[0]) / n, (second[1] - first[1]) / n,
                (second[0] - first[0] + second[1] - first[1]) / n);
    }

    private static long[] openUpTo(List<Socket> held, int count, InetSocketAddress target) throws Exception {
        while (held.size() < count) {
            Socket s = new Socket();
            s.connect(target, 10_000);
            held.add(s);
        }
        Thread.sleep(1000); // let the proxy's relays park
        return measure();
    }

    /** Live heap KiB after a full GC, native committed KiB outside the heap, live threads. */
    private static long[] measure() throws Exception {
        ObjectName dcmd = new ObjectName("com.sun.management:type=DiagnosticCommand");
        var server = ManagementFactory.getPlatformMBeanServer();
        String[] sig = {String[].class.getName()};
        server.invoke(dcmd, "gcRun", new Object[] {new String[0]}, sig);
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
        String nmt = (String) server.invoke(dcmd, "vmNativeMemory", new Object[] {new String[] {"summary"}}, sig);
        long total = group(nmt, "Total: reserved=\\d+KB, committed=(\\d+)KB");
        long javaHeap = group(nmt, "Java Heap \\(reserved=\\d+KB, committed=(\\d+)KB");
        return new long[] {heap, total - javaHeap, ManagementFactory.getThreadMXBean().getThreadCount()};
    }

    private static long group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + regex + " in NMT output:\n" + text);
        }
        return Long.parseLong(m.group(1));
    }
}
