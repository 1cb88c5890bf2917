package jblk.nbd;

import java.lang.management.ManagementFactory;

/**
 * Bytes the current thread has allocated on the heap so far (HotSpot's per-thread TLAB
 * accounting, {@code com.sun.management.ThreadMXBean}), or -1 where the JVM does not count them.
 * The server reads it when a connection enters and leaves transmission, so the benchmark and the
 * tests can state what the data path allocates per request.
 */
final class ThreadAllocation {
    private static final com.sun.management.ThreadMXBean BEAN = bean();

    private ThreadAllocation() {
    }

    private static com.sun.management.ThreadMXBean bean() {
        try {
            java.lang.management.ThreadMXBean b = ManagementFactory.getThreadMXBean();
            if (b instanceof com.sun.management.ThreadMXBean s) {
                if (s.isThreadAllocatedMemorySupported() && s.isThreadAllocatedMemoryEnabled()) {
                    return s;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // not a HotSpot JVM: no numbers
        }
        return null;
    }

    static long current() {
        return BEAN == null ? -1 : BEAN.getCurrentThreadAllocatedBytes();
    }
}
