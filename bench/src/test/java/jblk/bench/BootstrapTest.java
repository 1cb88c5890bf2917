package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The two-stage bootstrap of the median on data whose answer is known. */
class BootstrapTest {
    private static double[] normal(long seed, int n, double mean) {
        Random rnd = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = mean + rnd.nextGaussian();
        }
        return x;
    }

    @Test
    void medianAndPercentilesOfKnownValues() {
        assertEquals(3.0, Bootstrap.median(new double[] {5, 1, 3}, 3));
        assertEquals(2.5, Bootstrap.median(new double[] {4, 1, 3, 2}, 4));
        double[] sorted = {0, 10, 20, 30, 40};
        assertEquals(20.0, Bootstrap.percentile(sorted, 50), 1e-12);
        assertEquals(1.0, Bootstrap.percentile(sorted, 2.5), 1e-12);   // 0.1 of the way from 0 to 10
        assertEquals(39.0, Bootstrap.percentile(sorted, 97.5), 1e-12);
        assertNull(Bootstrap.median(List.of(), 100, 1));
        assertNull(Bootstrap.median(List.of(new double[0]), 100, 1));
    }

    @Test
    void constantFiguresGiveAPointInterval() {
        Bootstrap.Interval i = Bootstrap.median(List.of(new double[] {2, 2, 2}, new double[] {2, 2}), 500, 7);
        assertEquals(new Bootstrap.Interval(2, 2, 2), i);
    }

    @Test
    void normalDataGivesTheTheoreticalWidthAndTheSameSeedTheSameInterval() {
        // median of n normal(0,1) figures: standard error ~ 1.2533 / sqrt(n) = 0.1253 at n = 100,
        // so the 95% interval is about +-0.25 around the sample median
        double[] x = normal(42, 100, 5);
        Bootstrap.Interval i = Bootstrap.median(List.of(x), Bootstrap.RESAMPLES, 1);
        assertEquals(Bootstrap.median(x.clone(), x.length), i.median(), 1e-12);
        assertTrue(i.low() < i.median() && i.median() < i.high(), i.toString());
        assertTrue(i.halfWidth() > 0.15 && i.halfWidth() < 0.40, "half-width " + i.halfWidth());
        assertTrue(i.contains(5.0), "the true median 5 is inside: " + i);
        assertEquals(i, Bootstrap.median(List.of(x), Bootstrap.RESAMPLES, 1), "seeded: reproducible");
    }

    @Test
    void clustersThatAgreeAsWellAsTheirRoundsAllowGiveThePooledInterval() {
        // six worker sets at one level: the spread of their medians is round noise, not counted twice
        List<double[]> sets = new java.util.ArrayList<>();
        double[] pooled = new double[6 * 16];
        for (int s = 0; s < 6; s++) {
            double[] x = normal(10 + s, 16, 0);
            sets.add(x);
            System.arraycopy(x, 0, pooled, 16 * s, 16);
        }
        Bootstrap.Interval clustered = Bootstrap.median(sets, Bootstrap.RESAMPLES, 5);
        Bootstrap.Interval flat = Bootstrap.median(List.of(pooled), Bootstrap.RESAMPLES, 5);
        assertEquals(flat.median(), clustered.median(), 1e-12);
        assertTrue(clustered.halfWidth() < 1.15 * flat.halfWidth(), clustered + " vs pooled " + flat);
        assertTrue(Bootstrap.shrunk(sets, flat.median()).get(0)[0] != sets.get(0)[0] || flat.median() == 0,
                "offsets shrunk toward the overall median");
    }

    @Test
    void clustersAtDifferentLevelsWidenTheIntervalToCoverBoth() {
        // two worker sets whose compiled code differs: 0 and 10; rounds within each vary little
        double[] a = normal(1, 20, 0);
        double[] b = normal(2, 20, 10);
        Bootstrap.Interval twoSets = Bootstrap.median(List.of(a, b), Bootstrap.RESAMPLES, 3);
        double[] pooled = new double[40];
        System.arraycopy(a, 0, pooled, 0, 20);
        System.arraycopy(b, 0, pooled, 20, 20);
        Bootstrap.Interval oneSet = Bootstrap.median(List.of(pooled), Bootstrap.RESAMPLES, 3);
        assertTrue(twoSets.low() < 1 && twoSets.high() > 9, "covers both sets' levels: " + twoSets);
        assertTrue(twoSets.halfWidth() > oneSet.halfWidth(), twoSets + " vs " + oneSet);
    }
}
