package jblk.bench;

import java.util.Arrays;

/**
 * Finds a mode switch in one worker's rounds: figures that fall into two separate levels (the JIT
 * compiled the hot path into one shape for some rounds and another for the rest) rather than
 * scattering around one. The best split of the sorted figures into a low and a high group (least
 * squares, as 1-D two-means) counts as two levels when there are at least {@link #MIN_FIGURES}
 * figures, each group has two or more, the gap between the groups is more than twice either group's
 * own range, and the levels differ by at least {@link #MIN_STEP}. Noise around one level rarely
 * leaves such a gap (under 1% of 8 normal figures with a 5% spread, by simulation; 11% with 4
 * figures, hence the minimum), and a step below a few percent is not worth a warning.
 */
final class TwoLevels {
    /** The smallest step between the levels that is reported, as a fraction of the low level. */
    static final double MIN_STEP = 0.03;
    /** Fewer figures than this are never called two levels. */
    static final int MIN_FIGURES = 6;

    private TwoLevels() {
    }

    /** Two levels: their medians and how many figures each holds. */
    record Split(double low, double high, int nLow, int nHigh) {
        double stepPct() {
            return 100 * (high / low - 1);
        }
    }

    /** The two levels in {@code figures}, or null when they scatter around one. */
    static Split find(double[] figures) {
        int n = figures.length;
        if (n < MIN_FIGURES) {
            return null;
        }
        double[] s = figures.clone();
        Arrays.sort(s);
        int best = -1;
        double bestSs = Double.MAX_VALUE;
        for (int k = 2; k <= n - 2; k++) {   // low = s[0..k), high = s[k..n)
            double ss = squares(s, 0, k) + squares(s, k, n);
            if (ss < bestSs) {
                bestSs = ss;
                best = k;
            }
        }
        double gap = s[best] - s[best - 1];
        double lowRange = s[best - 1] - s[0];
        double highRange = s[n - 1] - s[best];
        double low = Bootstrap.median(Arrays.copyOfRange(s, 0, best), best);
        double high = Bootstrap.median(Arrays.copyOfRange(s, best, n), n - best);
        if (gap <= 2 * Math.max(lowRange, highRange) || low <= 0 || high / low - 1 < MIN_STEP) {
            return null;
        }
        return new Split(low, high, best, n - best);
    }

    private static double squares(double[] s, int from, int to) {
        double mean = 0;
        for (int i = from; i < to; i++) {
            mean += s[i];
        }
        mean /= to - from;
        double ss = 0;
        for (int i = from; i < to; i++) {
            ss += (s[i] - mean) * (s[i] - mean);
        }
        return ss;
    }
}
