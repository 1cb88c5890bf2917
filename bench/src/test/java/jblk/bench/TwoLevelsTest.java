package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mode-switch detection: two levels are found, noise around one level is not called two. */
class TwoLevelsTest {
    @Test
    void aSwitchHalfwayIsTwoLevels() {
        // 29 -> 21 ops/us as ns per I/O: 34.5 ns for three rounds, then 47.6 ns
        TwoLevels.Split s = TwoLevels.find(new double[] {34.4, 34.6, 34.5, 47.5, 47.8, 47.6, 47.4, 47.7});
        assertNotNull(s);
        assertEquals(3, s.nLow());
        assertEquals(5, s.nHigh());
        assertEquals(34.5, s.low(), 1e-9);
        assertEquals(47.6, s.high(), 1e-9);
        assertEquals(38.0, s.stepPct(), 0.1);
    }

    @Test
    void oneOutlierOrASmallStepIsNotAModeSwitch() {
        assertNull(TwoLevels.find(new double[] {100, 101, 99, 100.5, 140, 100.2, 100.7}), "one outlier: a group of 1");
        assertNull(TwoLevels.find(new double[] {100, 100.1, 99.9, 101, 101.1, 100.9}), "a 1% step");
        assertNull(TwoLevels.find(new double[] {10, 10, 20, 20}), "too few rounds to tell");
    }

    @Test
    void noiseAroundOneLevelIsRarelyCalledTwo() {
        Random rnd = new Random(12345);
        int called = 0;
        for (int t = 0; t < 500; t++) {
            double[] x = new double[8];
            for (int i = 0; i < x.length; i++) {
                x[i] = 100 * (1 + 0.05 * rnd.nextGaussian());   // 5% noise: steps above 3% are possible
            }
            called += TwoLevels.find(x) == null ? 0 : 1;
        }
        assertTrue(called < 15, called + " of 500 unimodal samples called two levels (want under 3%)");
    }
}
