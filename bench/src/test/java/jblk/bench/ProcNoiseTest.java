package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The noise reader on sample /proc text. */
class ProcNoiseTest {
    static final String STAT = """
            cpu  1000 50 300 8000 100 10 40 500 20 0
            cpu0 500 25 150 4000 50 5 20 250 10 0
            intr 12345 0 0
            ctxt 999
            """;

    @Test
    void parsesTheAggregateCpuLine() {
        // busy = user 1000 + nice 50 + system 300 + irq 10 + softirq 40; idle 8000 + iowait 100; steal 500
        assertArrayEquals(new long[] {10000, 1400, 500}, ProcNoise.cpuTicks(STAT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProcNoise.cpuTicks("intr 1\n"));
        assertTrue(e.getMessage().contains("no aggregate 'cpu' line"), e.getMessage());
    }

    @Test
    void parsesAProcessLineWhoseNameHasSpacesAndParentheses() {
        String stat = "4242 (java (worker) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 123 45 0 0 20 0 30 0 999 0 0";
        assertEquals(168, ProcNoise.processTicks(stat));   // utime 123 + stime 45
        assertEquals(3.25, ProcNoise.load1("3.25 2.10 1.00 4/321 777\n"));
    }

    @Test
    void othersShareIsTheMachinesBusyTimeMinusOurOwn() {
        ProcNoise.Sample a = new ProcNoise.Sample(1.0, 10_000, 1_400, 500, 300);
        // 200 ticks pass on all CPUs: 150 busy, of which 90 ours; 10 stolen
        ProcNoise.Sample b = new ProcNoise.Sample(2.5, 10_200, 1_550, 510, 390);
        ProcNoise.Noise n = ProcNoise.between(a, b);
        assertEquals(2.5, n.load1());
        assertEquals(5.0, n.stealPct(), 1e-9);
        assertEquals(30.0, n.othersPct(), 1e-9);
        assertTrue(n.busy(), "others used 30% >= 25%");
        assertFalse(ProcNoise.between(a, new ProcNoise.Sample(0.1, 10_200, 1_460, 500, 340)).busy(), "10% others");
    }

    @Test
    void withoutProcNothingIsRecorded() {
        ProcNoise.Sample none = new ProcNoise.Sample(Double.NaN, -1, 0, 0, 0);
        ProcNoise.Noise n = ProcNoise.between(none, none);
        assertFalse(n.known());
        assertFalse(n.busy());
        ProcNoise.Sample now = ProcNoise.read(List.of(ProcessHandle.current().pid()));
        assertTrue(now.total() > 0 && now.own() > 0, "this machine has /proc: " + now);
    }
}
