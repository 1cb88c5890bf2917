package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A compare worker JVM pins each job and its hardware queue's softirq thread to the job's CPU,
 * warms up on one CPU and moves to another, as the coordinator asks; checked from outside, in
 * the kernel's own view of each thread.
 */
class CompareWorkerPinTest {
    @Test
    void theJobAndItsSoftirqThreadRunOnTheCpuAskedFor() throws Exception {
        assumeTrue(CpuAffinity.unavailableReason() == null, CpuAffinity::unavailableReason);
        List<Integer> cpus = CpuAffinity.allowed();
        int warm = cpus.get(0);
        int cpu = cpus.get(cpus.size() - 1);
        try (WorkerJvm w = new WorkerJvm(Variant.OFF, "irqmode=1", List.of(), 8)) {
            w.awaitReady();
            assertTrue(w.call("setup irqmode=1 " + warm).startsWith("ok job0@" + warm));
            w.call("warmup 50000000 10000000 20000000");
            assertEquals(List.of(Integer.toString(warm)), affinity(w.pid(), "jblk-nullb0-sof"),
                    "started by the pinned submitter, the softirq thread inherited its CPU");
            assertEquals("ok job0@" + cpu + ",softirq0@" + cpu, w.call("pin " + cpu));
            assertEquals(List.of(Integer.toString(cpu)), affinity(w.pid(), "jblk-nullb0-sof"));
            assertEquals(List.of(Integer.toString(cpu)), affinity(w.pid(), "pin-starter-cpu"));
            assertTrue(w.call("run 10000000 20000000").startsWith("result ios="));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.call("pin 0,1"));
            assertTrue(e.getMessage().endsWith("pin: 2 CPUs for 1 pinned jobs"), e.getMessage());
        }
    }

    @Test
    void twoJobsRunOnACpuEachWithTheirOwnSoftirqThreads() throws Exception {
        assumeTrue(CpuAffinity.unavailableReason() == null, CpuAffinity::unavailableReason);
        List<Integer> cpus = CpuAffinity.allowed();
        assumeTrue(cpus.size() >= 2, "needs 2 CPUs");
        int a = cpus.get(0);
        int b = cpus.get(1);
        try (WorkerJvm w = new WorkerJvm(Variant.CHECKED, "irqmode=1-2jobs", List.of(), 8)) {
            w.awaitReady();
            w.call("setup irqmode=1-2jobs " + a + "," + b);
            w.call("warmup 50000000 10000000 20000000");
            assertEquals("ok job0@" + b + ",softirq0@" + b + ",job1@" + a + ",softirq1@" + a,
                    w.call("pin " + b + "," + a), "job j on hardware queue j, each with its softirq thread");
            List<String> softirqs = affinity(w.pid(), "jblk-nullb0-sof");
            softirqs.sort(null);
            assertEquals(Stream.of(a, b).map(String::valueOf).sorted().toList(), softirqs);
        }
    }

    /** Cpus_allowed_list of each thread of {@code pid} whose comm (15 characters at most) starts with {@code name}. */
    private static List<String> affinity(long pid, String name) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                String comm;
                List<String> status;
                try {
                    comm = Files.readString(t.resolve("comm"), StandardCharsets.US_ASCII).trim();
                    status = Files.readAllLines(t.resolve("status"), StandardCharsets.US_ASCII);
                } catch (IOException gone) {
                    continue; // a thread that ended meanwhile
                }
                if (comm.startsWith(name.substring(0, Math.min(15, name.length())))) {
                    for (String l : status) {
                        if (l.startsWith("Cpus_allowed_list:")) {
                            out.add(l.substring(l.indexOf(':') + 1).trim());
                        }
                    }
                }
            }
        }
        return out;
    }
}
