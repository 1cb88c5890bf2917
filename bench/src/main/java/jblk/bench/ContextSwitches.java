package jblk.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How often this JVM's threads were switched onto a CPU, from Linux's per-task
 * {@code /proc/self/task/TID/schedstat} (its third figure, the scheduler's {@code pcount}). At
 * irqmode=1 every completion wakes the softirq thread that shares the submitter's CPU, so how many
 * completions one wake-up finds, and so the switches per I/O, is up to the scheduler: it varies
 * +-20% from one 0.1 s run to the next on a busy machine, and each switch costs microseconds of
 * CPU time: compare records them per run ({@code context_switches} in its JSON) and compares
 * the variants' rates ({@code switches_per_io_pct}).
 */
final class ContextSwitches {
    private static final Path TASKS = Path.of("/proc/self/task");

    private ContextSwitches() {
    }

    /** The calling thread's task id, or -1 where there is no /proc/thread-self. */
    static long currentTid() {
        try {
            return Long.parseLong(Path.of("/proc/thread-self").toRealPath().getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The switches so far of every thread of this JVM but {@code exceptTid} (the runner's own
     * sleeps), or -1 where the kernel keeps no schedstat. A thread that ends between two reads
     * takes its count with it; the runner's windows end before their jobs do.
     */
    static long sumExcept(long exceptTid) {
        String except = Long.toString(exceptTid);
        long sum = 0;
        boolean any = false;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path t : tasks) {
                if (t.getFileName().toString().equals(except)) {
                    continue;
                }
                try {
                    sum += pcount(Files.readString(t.resolve("schedstat")));
                    any = true;
                } catch (IOException e) {
                    // the thread ended since the listing
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return any ? sum : -1;
    }

    /** The third figure of a schedstat line: "run_ns wait_ns pcount". */
    static long pcount(String schedstat) {
        String[] f = schedstat.trim().split("\\s+");
        if (f.length < 3) {
            throw new IllegalArgumentException("not a schedstat line: " + schedstat);
        }
        return Long.parseLong(f[2]);
    }
}
