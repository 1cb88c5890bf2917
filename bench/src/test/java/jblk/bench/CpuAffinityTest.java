package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Thread placement through taskset: CPU lists, one thread pinned, thread ids, a pinned starter's threads. */
class CpuAffinityTest {
    @Test
    void cpuListsParseAsTheKernelWritesThem() {
        assertEquals(List.of(0, 1, 2, 3, 8, 10, 11), CpuAffinity.parseList("0-3,8,10-11"));
        assertEquals(List.of(5), CpuAffinity.parseList("5"));
        assertEquals(List.of(), CpuAffinity.parseList(""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuAffinity.parseList("3-1"));
        assertEquals("not a CPU list: 3-1", e.getMessage());
    }

    @Test
    void aPinnedThreadMayRunOnItsCpuAlone() throws Exception {
        assumeTrue(CpuAffinity.unavailableReason() == null, CpuAffinity::unavailableReason);
        List<Integer> cpus = CpuAffinity.allowed();
        int cpu = cpus.get(cpus.size() - 1);
        AtomicReference<String> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                CpuAffinity.pin(CpuAffinity.currentTid(), cpu);
                seen.set(allowedOfThisThread());
            } catch (IOException e) {
                seen.set(e.toString());
            }
        });
        t.start();
        t.join();
        assertEquals(Integer.toString(cpu), seen.get());
        assertEquals(cpus, CpuAffinity.allowed(), "only that thread moved, not the process");
    }

    @Test
    void threadIdsNameEveryJavaThreadWithItsKernelId() throws Exception {
        CompletableFuture<Long> tid = new CompletableFuture<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                tid.complete(CpuAffinity.currentTid());
            } catch (IOException e) {
                tid.completeExceptionally(e);
            }
            done.join();
        }, "jblk-test-named-thread-7");
        t.start();
        try {
            assertEquals(tid.get(), CpuAffinity.threadIds().get("jblk-test-named-thread-7"));
        } finally {
            done.complete(null);
            t.join();
        }
    }

    @Test
    void threadsAPinnedStarterStartsInheritItsCpuAndFollowItsMoves() throws Exception {
        assumeTrue(CpuAffinity.unavailableReason() == null, CpuAffinity::unavailableReason);
        List<Integer> cpus = CpuAffinity.allowed();
        int first = cpus.get(0);
        int last = cpus.get(cpus.size() - 1);
        try (PinnedStarter s = new PinnedStarter(first)) {
            assertEquals(Integer.toString(first), startAndRead(s));
            s.moveTo(last);
            assertEquals(last, s.cpu());
            assertEquals(Integer.toString(last), startAndRead(s));
        }
    }

    private static String startAndRead(PinnedStarter s) throws InterruptedException {
        AtomicReference<String> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                seen.set(allowedOfThisThread());
            } catch (IOException e) {
                seen.set(e.toString());
            }
        });
        s.start(t);
        t.join();
        return seen.get();
    }

    /** Cpus_allowed_list of the calling thread, as the kernel reports it. */
    static String allowedOfThisThread() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/thread-self/status"), StandardCharsets.US_ASCII)) {
            if (l.startsWith("Cpus_allowed_list:")) {
                return l.substring(l.indexOf(':') + 1).trim();
            }
        }
        return "?";
    }
}
