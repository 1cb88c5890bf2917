package jblk.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import javax.management.JMException;

/**
 * HotSpot's compile queue, as {@code jcmd PID Compiler.queue} prints it (the DiagnosticCommand
 * MBean, in-process). The JIT's total compile time only grows when a compile ends, so a JVM whose
 * compiler threads had no CPU looks quiet while its hot path still waits in the queue: measured in
 * compare's sets, four JVMs warming up on 2 CPUs ended warm-up "quiet", then compiled 13-116 ms
 * inside the first measured windows, which ran 5-25% above the set's settled CPU per I/O.
 */
final class JitQueue {
    private JitQueue() {
    }

    /** The JIT's compile time so far, in ms (it grows when a compile ends); -1 when this JVM does not say. */
    static long totalMs() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** Compiles running or queued now; -1 when this JVM cannot say. */
    static int pending() {
        String q;
        try {
            q = DiagnosticCommand.invoke("compilerQueue");
        } catch (JMException | RuntimeException e) {
            return -1;
        }
        return count(q);
    }

    /** Task lines in a Compiler.queue listing: every line but the headers, "Empty" and blanks. */
    static int count(String listing) {
        int n = 0;
        for (String line : listing.split("\n")) {
            String l = line.trim();
            if (!l.isEmpty() && !l.equals("Empty") && !l.endsWith(":")) {
                n++;
            }
        }
        return n;
    }

    /**
     * Waits (at most {@code maxMs}) until nothing is compiling or queued and no compile ended
     * since the last look a millisecond before, so this JVM's compiles do not run while another
     * worker is measured. Returns whether it got there. Looks every 1 ms, not 10: compare waits
     * here after every run, and on a busy machine 10 ms sleeps made it 30 ms of each 0.18 s run
     * (`mvn -B verify` looping, load 5).
     */
    static boolean awaitQuiet(long maxMs) throws InterruptedException {
        long deadline = System.nanoTime() + maxMs * 1_000_000L;
        long last = totalMs();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1);
            long now = totalMs();
            if (now == last && pending() <= 0) {
                return true;
            }
            last = now;
        }
        return false;
    }
}
