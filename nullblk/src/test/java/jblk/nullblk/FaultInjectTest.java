package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** should_fail's interval, probability, space and times, as null_blk's fault injection uses them. */
class FaultInjectTest {

    private static List<Integer> firingCalls(String spec, int calls, long seed) {
        FaultInject f = FaultInject.parse("timeout", spec, new Random(seed));
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= calls; i++) {
            if (f.shouldFail()) {
                out.add(i);
            }
        }
        assertEquals(out.size(), f.fired());
        return out;
    }

    @Test
    void emptySpecMeansNoFault() {
        assertNull(FaultInject.parse("timeout", "", new Random()));
        assertNull(FaultInject.parse("timeout", "  ", new Random()));
        assertNull(FaultInject.parse("timeout", null, new Random()));
    }

    @Test
    void intervalFiresOnEveryNthCall() {
        assertEquals(List.of(3, 6, 9), firingCalls("3,100,0,-1", 10, 1));
        assertEquals(List.of(1, 2, 3, 4), firingCalls("1,100,0,-1", 4, 1));
    }

    @Test
    void timesLimitsTheFailures() {
        assertEquals(List.of(1, 2), firingCalls("1,100,0,2", 10, 1));
        assertEquals(List.of(2, 4, 6), firingCalls("2,100,0,3", 20, 1));
    }

    @Test
    void spaceSkipsTheFirstCalls() {
        // As the kernel's should_fail(attr, 1): calls are skipped while space > 1.
        assertEquals(List.of(3, 4), firingCalls("1,100,3,-1", 4, 1));
        assertEquals(List.of(1), firingCalls("1,100,1,1", 3, 1));
    }

    @Test
    void probabilityZeroNeverFires() {
        assertTrue(firingCalls("1,0,0,-1", 1000, 1).isEmpty());
    }

    @Test
    void probabilityIsAPercentageAndSeededRunsRepeat() {
        List<Integer> a = firingCalls("1,30,0,-1", 10_000, 42);
        List<Integer> b = firingCalls("1,30,0,-1", 10_000, 42);
        assertEquals(a, b, "the same seed gives the same faults");
        assertTrue(a.size() > 2_500 && a.size() < 3_500, "about 30% of 10000: " + a.size());
        assertFalse(a.equals(firingCalls("1,30,0,-1", 10_000, 43)), "another seed, other faults");
    }

    @Test
    void specIsKept() {
        FaultInject f = FaultInject.parse("requeue", " 5,10,0,-1 ", new Random());
        assertEquals("5,10,0,-1", f.spec());
        assertEquals("5,10,0,-1", f.toString());
        assertEquals(0, f.fired());
    }
}
