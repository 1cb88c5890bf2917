package jblk.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CPU per I/O compared at equal context switches per I/O: an analysis of covariance on the paired
 * figures. Each switch onto the pinned CPU costs CPU time (the switch, the caches refilled after
 * another process ran), and how many a window gets is the scheduler's answer to what else runs:
 * busy, a block's paired CPU difference followed its paired difference in switches per I/O
 * (correlation 0.6-0.9 within a set), while idle the two variants' rates agree within 0.4%. So a
 * block's figure {@code x} (checked's CPU per I/O over off's, %) is taken as {@code x - slope * z},
 * {@code z} the block's switches per I/O of a minus b's, and {@code slope} the Theil-Sen slope
 * (the median of the pairwise slopes, robust to a stray block) of {@code x} on {@code z} within the
 * sets (each set's medians removed first, so JVM-to-JVM differences do not make a slope). The
 * estimate is then the cost at equal switching; where the variants switch alike it is the plain one.
 * Not applied where the workload hardly switches (inline completion: no hand-off; the slope would be
 * noise over noise), where a count is unknown, or where the two variants switch at different rates
 * as a rule (debug: 2-100x off's per I/O): then switching is part of what the variant does, and
 * "at equal switching" would compare different work.
 */
final class SwitchAdjustment {
    /** Below this many switches per I/O (b's median) the workload has no hand-off to adjust for. */
    static final double MIN_SWITCHES_PER_IO = 0.01;
    /**
     * The largest median gap between the variants' switches per I/O (relative to b's) at which they
     * count as switching alike: checked vs off and off vs raw measured -3.1% to +1.3%, debug vs off
     * +200% and more (busy, 2026-12-07 04:17).
     */
    static final double MAX_RATE_GAP = 0.10;
    /** Fewer blocks than this give no slope. */
    static final int MIN_BLOCKS = 6;

    private SwitchAdjustment() {
    }

    /**
     * The slope (% per switch per I/O) of the figures on the switch differences, or NaN when no
     * adjustment applies. {@code x}, {@code z}: per set, per block; {@code bRate}: b's switches per
     * I/O per block, all sets together, in the same order.
     */
    static double slope(List<double[]> x, List<double[]> z, double[] bRate) {
        double[] gap = new double[bRate.length];
        int k = 0;
        for (double[] zs : z) {
            for (double v : zs) {
                if (k >= bRate.length || !Double.isFinite(v) || !Double.isFinite(bRate[k]) || bRate[k] <= 0) {
                    return Double.NaN;   // a count unknown (or no switching at all): nothing to adjust by
                }
                gap[k] = v / bRate[k];
                k++;
            }
        }
        if (k != bRate.length || k < MIN_BLOCKS || !(median(bRate.clone()) >= MIN_SWITCHES_PER_IO)
                || !(Math.abs(median(gap)) <= MAX_RATE_GAP)) {
            return Double.NaN;   // too few blocks, no hand-off, or switching that differs as a rule
        }
        List<double[]> points = new ArrayList<>();
        for (int s = 0; s < x.size(); s++) {
            double[] xs = x.get(s);
            double[] zs = z.get(s);
            if (xs.length < 2) {
                continue;   // a lone block says nothing within its set
            }
            double mx = median(xs.clone());
            double mz = median(zs.clone());
            for (int i = 0; i < xs.length; i++) {
                if (!Double.isFinite(xs[i])) {
                    return Double.NaN;
                }
                points.add(new double[] {zs[i] - mz, xs[i] - mx});
            }
        }
        if (points.size() < MIN_BLOCKS) {
            return Double.NaN;
        }
        double[] slopes = new double[points.size() * (points.size() - 1) / 2];
        int n = 0;
        for (int i = 0; i < points.size(); i++) {
            for (int j = i + 1; j < points.size(); j++) {
                double dz = points.get(j)[0] - points.get(i)[0];
                if (dz != 0) {
                    slopes[n++] = (points.get(j)[1] - points.get(i)[1]) / dz;
                }
            }
        }
        return n == 0 ? Double.NaN : median(Arrays.copyOf(slopes, n));
    }

    /** {@code x - slope * z} per block, per set; {@code x} itself when {@code slope} is NaN. */
    static List<double[]> adjusted(List<double[]> x, List<double[]> z, double slope) {
        if (Double.isNaN(slope)) {
            return x;
        }
        List<double[]> out = new ArrayList<>();
        for (int s = 0; s < x.size(); s++) {
            double[] a = x.get(s).clone();
            for (int i = 0; i < a.length; i++) {
                a[i] -= slope * z.get(s)[i];
            }
            out.add(a);
        }
        return out;
    }

    private static double median(double[] v) {
        return Bootstrap.median(v, v.length);
    }
}
