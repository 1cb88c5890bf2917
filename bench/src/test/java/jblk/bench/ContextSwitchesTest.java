package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reading the scheduler's per-thread switch counts. */
class ContextSwitchesTest {
    @Test
    void theThirdFigureOfSchedstatIsTheCount() {
        assertEquals(4711, ContextSwitches.pcount("123456 789 4711\n"));
        assertThrows(IllegalArgumentException.class, () -> ContextSwitches.pcount("123456 789"));
    }

    @Test
    void anotherThreadsSleepsCountButTheExcludedThreadsDoNot() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/schedstat")), "Linux with schedstat");
        long self = ContextSwitches.currentTid();
        assertTrue(self > 0);
        for (int i = 0; i < 50; i++) {
            Thread.sleep(1); // each sleep switches this thread out and back in
        }
        long own = ContextSwitches.pcount(Files.readString(Path.of("/proc/thread-self/schedstat")));
        assertTrue(own >= 50, "own switches " + own);
        long without = ContextSwitches.sumExcept(self);
        long with = ContextSwitches.sumExcept(-1);
        assertTrue(with - without >= own, "the caller's own count is left out: " + with + " - " + without);
        Thread t = new Thread(() -> {
            for (int i = 0; i < 50; i++) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
            try {
                Thread.sleep(10_000); // alive while counted: an ended thread's count is gone
            } catch (InterruptedException e) {
                // done
            }
        });
        long start = ContextSwitches.sumExcept(self);
        t.start();
        Thread.sleep(300);
        long after = ContextSwitches.sumExcept(self);
        t.interrupt();
        t.join();
        assertTrue(after - start >= 50, "50 sleeps of another thread: " + (after - start));
    }
}
