package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** compare's --pin: one CPU per job, the next CPU each set, and what it says when it cannot. */
class CpuPlacementTest {
    @Test
    void eachSetTakesTheNextCpuAndEachJobItsOwn() {
        CpuPlacement p = new CpuPlacement(true, List.of(2, 5, 7), "");
        assertEquals("2", p.forSet(0, 1));
        assertEquals("5", p.forSet(1, 1));
        assertEquals("7", p.forSet(2, 1));
        assertEquals("2", p.forSet(3, 1), "round the allowed CPUs");
        assertEquals("2,5", p.forSet(0, 2));
        assertEquals("7,2", p.forSet(1, 2));
        assertTrue(p.describe().contains("CPUs [2,5,7] in turn per set"), p.describe());
    }

    @Test
    void unpinnedSaysWhy() {
        CpuPlacement none = CpuPlacement.resolve("none");
        assertFalse(none.split());
        assertEquals("-", none.forSet(3, 2));
        assertEquals("threads not pinned (--pin none)", none.describe());
    }

    @Test
    void badPinIsNamedWithTheAllowedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuPlacement.resolve("all"));
        assertEquals("--pin=all is invalid: allowed auto, split, none", e.getMessage());
    }

    @Test
    void autoPinsWhereTasksetWorks() {
        CpuPlacement auto = CpuPlacement.resolve("auto");
        assertEquals(CpuAffinity.unavailableReason() == null, auto.split(), auto.describe());
        if (auto.split()) {
            assertEquals(CpuAffinity.allowed(), auto.cpus());
        }
    }
}
