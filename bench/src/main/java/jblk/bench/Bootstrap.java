package jblk.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A percentile bootstrap of the median of paired figures, two-stage: the figures come in clusters
 * (one per set of worker JVMs, whose compiled code differs from the next set's), so each resample
 * draws clusters with replacement, then figures within each drawn cluster with replacement. The
 * interval then covers JVM-to-JVM differences too, not only round-to-round noise; with one cluster
 * it is the ordinary bootstrap. Drawn as they are, the clusters would count the round-to-round noise
 * twice: once in the spread of the clusters' medians (each a median of a few noisy figures) and
 * again when the figures are drawn. So each cluster's offset from the overall median is first
 * shrunk by the share of its spread that round noise explains (Davison and Hinkley, Bootstrap
 * Methods and their Application, 1997, section 3.8): sets that agree as well as their rounds allow
 * give the pooled interval, sets at different levels keep their full spread. Seeded, so a report
 * can be reproduced from its JSON.
 */
final class Bootstrap {
    /** Resamples per interval: enough for stable 2.5/97.5 percentiles (error about 0.1 of a point here). */
    static final int RESAMPLES = 4000;

    /** A normal distribution's standard deviation over its median absolute deviation. */
    static final double MAD_TO_SD = 1.4826;

    private Bootstrap() {
    }

    /** A median and its 95% interval. */
    record Interval(double median, double low, double high) {
        double halfWidth() {
            return (high - low) / 2;
        }

        boolean contains(double x) {
            return low <= x && x <= high;
        }
    }

    /** The median of every figure and its bootstrap 95% interval; null when there are no figures. */
    static Interval median(List<double[]> clusters, int resamples, long seed) {
        int total = 0;
        for (double[] c : clusters) {
            total += c.length;
        }
        if (total == 0) {
            return null;
        }
        double[] all = new double[total];
        int k = 0;
        for (double[] c : clusters) {
            System.arraycopy(c, 0, all, k, c.length);
            k += c.length;
        }
        double estimate = median(all, total);
        clusters = shrunk(clusters, estimate);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] medians = new double[resamples];
        double[] pool = new double[total * 2];
        for (int r = 0; r < resamples; r++) {
            int n = 0;
            for (int i = 0; i < clusters.size(); i++) {
                double[] c = clusters.get(rnd.nextInt(clusters.size()));
                if (n + c.length > pool.length) {
                    pool = Arrays.copyOf(pool, (n + c.length) * 2);
                }
                for (int j = 0; j < c.length; j++) {
                    pool[n++] = c[rnd.nextInt(c.length)];
                }
            }
            medians[r] = n == 0 ? estimate : median(pool, n);
        }
        Arrays.sort(medians);
        return new Interval(estimate, percentile(medians, 2.5), percentile(medians, 97.5));
    }

    /**
     * The clusters with each one's offset from {@code center} scaled by {@code c = sqrt(1 - w / b)}:
     * {@code b} the variance of the clusters' medians, {@code w} what round noise alone gives a
     * cluster's median ({@code pi/2 * s^2 / n}, {@code s} from the cluster's median absolute deviation,
     * robust to a stray round), 0 when round noise explains all of {@code b}.
     */
    static List<double[]> shrunk(List<double[]> clusters, double center) {
        int k = 0;
        for (double[] c : clusters) {
            k += c.length > 0 ? 1 : 0;
        }
        if (k < 2) {
            return clusters;
        }
        double[] medians = new double[clusters.size()];
        double sum = 0;
        double noise = 0;
        for (int i = 0; i < clusters.size(); i++) {
            double[] c = clusters.get(i);
            if (c.length == 0) {
                continue;
            }
            medians[i] = median(c.clone(), c.length);
            sum += medians[i];
            double[] dev = new double[c.length];
            for (int j = 0; j < c.length; j++) {
                dev[j] = Math.abs(c[j] - medians[i]);
            }
            double s = MAD_TO_SD * median(dev, dev.length);
            noise += Math.PI / 2 * s * s / c.length;
        }
        double mean = sum / k;
        double between = 0;
        for (int i = 0; i < clusters.size(); i++) {
            if (clusters.get(i).length > 0) {
                between += (medians[i] - mean) * (medians[i] - mean);
            }
        }
        between /= k - 1;
        double scale = between > 0 ? Math.sqrt(Math.max(0, 1 - noise / k / between)) : 0;
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < clusters.size(); i++) {
            double[] c = clusters.get(i).clone();
            double shift = center + scale * (medians[i] - center) - medians[i];
            for (int j = 0; j < c.length; j++) {
                c[j] += shift;
            }
            out.add(c);
        }
        return out;
    }

    /** The median of the first {@code n} values (sorts them in place). */
    static double median(double[] v, int n) {
        Arrays.sort(v, 0, n);
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Linear interpolation between the closest ranks of sorted values. */
    static double percentile(double[] sorted, double p) {
        double pos = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
