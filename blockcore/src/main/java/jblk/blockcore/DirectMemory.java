package jblk.blockcore;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/**
 * The JVM's direct (off-heap) memory limit and use, read so that allocators of off-heap memory
 * (null_blk's pages, the NBD server's buffers) fail fast, as {@code alloc_page(GFP_NOWAIT)} does,
 * instead of entering the JDK's slow path: when {@code ByteBuffer.allocateDirect} finds the limit
 * reached it forces a full GC and retries with back-off for about a second before it throws.
 */
public final class DirectMemory {
    private static final long MAX = readMax();
    private static final BufferPoolMXBean DIRECT = directPool();

    private DirectMemory() {
    }

    /** {@code -XX:MaxDirectMemorySize}, or the JDK's default for it (the maximum heap size). */
    public static long max() {
        return MAX;
    }

    /** Bytes of direct buffers the JVM counts against {@link #max()} now (-1 if unknown). */
    public static long used() {
        return DIRECT == null ? -1 : DIRECT.getTotalCapacity();
    }

    /**
     * Whether {@code bytes} more would fit under the limit now. A hint (another thread may take the
     * room first), so a caller still catches the OutOfMemoryError, but no longer waits for it.
     */
    public static boolean fits(long bytes) {
        long u = used();
        return u < 0 || u + bytes <= MAX;
    }

    private static long readMax() {
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:MaxDirectMemorySize=")) {
                return parseSize(arg.substring("-XX:MaxDirectMemorySize=".length()));
            }
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static BufferPoolMXBean directPool() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if ("direct".equals(b.getName())) {
                return b;
            }
        }
        return null;
    }

    /** A HotSpot size: digits with an optional k, m, g or t suffix (either case). */
    public static long parseSize(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        long mult = 1;
        char c = t.charAt(t.length() - 1);
        if (c == 'k' || c == 'm' || c == 'g' || c == 't') {
            mult = c == 'k' ? 1L << 10 : c == 'm' ? 1L << 20 : c == 'g' ? 1L << 30 : 1L << 40;
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * mult;
    }
}
