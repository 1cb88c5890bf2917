package jblk.bench;

import jblk.blockcore.DirectMemory;
import jblk.nullblk.NullbParams;

/**
 * The bounds {@code ./jblk bench} checks before any work starts, each refused in one line naming
 * the option, the figure and the limit (fio's own option checks, {@code fio_options_parse}, do the
 * same for its jobs): queue depth, the jobs' I/O buffers against the JVM's direct memory, and times
 * that would overflow a nanosecond deadline.
 */
final class BenchLimits {
    /** fio's largest iodepth. */
    static final int MAX_IODEPTH = 65536;
    /** Longest --runtime / --ramp_time: 100 days; longer would overflow the deadline arithmetic. */
    static final long MAX_TIME_NS = 100L * 24 * 3600 * 1_000_000_000L;
    /** One job's buffers are one direct buffer (an int-sized allocation), plus 4 KiB for alignment. */
    static final long MAX_JOB_BUFFER = Integer.MAX_VALUE - 4096;

    private BenchLimits() {
    }

    static void iodepth(int iodepth) {
        if (iodepth < 1 || iodepth > MAX_IODEPTH) {
            throw new IllegalArgumentException("--iodepth=" + iodepth + " is out of range: allowed 1.." + MAX_IODEPTH);
        }
    }

    /** A parsed --runtime or --ramp_time, refused when it is longer than {@link #MAX_TIME_NS}. */
    static long time(String option, String value, long ns) {
        if (ns > MAX_TIME_NS) {
            throw new IllegalArgumentException("--" + option + "=" + value + " is out of range: allowed up to "
                    + MAX_TIME_NS / 1_000_000_000L + " s (100 days)");
        }
        return ns;
    }

    /**
     * The jobs' I/O buffers (numjobs x iodepth x bs, allocated and zeroed before the run) must fit:
     * one job's in one buffer, all of them in the JVM's direct memory, less what a memory-backed
     * device may take for its pages (up to its capacity, at most half the limit).
     */
    static void buffers(int numjobs, int iodepth, long bs, NullbParams device) {
        long perJob = (long) iodepth * bs;
        if (perJob > MAX_JOB_BUFFER) {
            throw new IllegalArgumentException("--iodepth=" + iodepth + " x --bs=" + bs + " = " + perJob
                    + " bytes of buffers per job is too large: allowed at most " + MAX_JOB_BUFFER + " bytes (2 GiB)");
        }
        long total = perJob * numjobs;
        long max = DirectMemory.max();
        long devicePages = device.memoryBacked() ? Math.min(device.capacitySectors() << 9, max / 2) : 0;
        long allowed = max - devicePages;
        if (total > allowed) {
            throw new IllegalArgumentException("--numjobs=" + numjobs + " x --iodepth=" + iodepth + " x --bs=" + bs
                    + " = "
                    + mib(total) + " of I/O buffers is too large: allowed at most " + mib(allowed)
                    + " (the JVM's direct memory, -XX:MaxDirectMemorySize=" + mib(max)
                    + (devicePages > 0 ? ", less " + mib(devicePages) + " for the memory-backed device's pages" : "")
                    + "; set it with JBLK_JAVA_OPTS)");
        }
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
