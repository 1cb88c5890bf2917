package jblk.bench;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import jblk.blockcore.Errno;
import org.HdrHistogram.Histogram;

/**
 * What fio reports about a run, gathered from a {@link WorkloadRunner.RunResult}: per job (or per
 * group with group_reporting) counts, bytes, latency histograms, interval samples, CPU and errors.
 * {@link FioJson} and {@link FioText} print it.
 *
 * <p>Latency: jblk measures one latency per I/O, from {@code submitBio} to the bio's callback. It
 * is reported as {@code clat_ns} and, identically, {@code lat_ns}; {@code slat_ns} has no samples
 * (submission is not timed separately). With latency sampling, N counts the sampled I/Os.
 */
final class FioReport {
    static final double[] PERCENTILES = {1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};
    static final String[] DIR_NAMES = {"read", "write"};

    /** One reported unit: a job, or all jobs with group_reporting. */
    static final class Unit {
        final String name;
        final int jobs;
        int error;
        String errorDetail;
        long runtimeNs;
        long verified;
        final long[] ios = new long[2];
        final long[] bytes = new long[2];
        final Histogram[] lat = {IoJob.newHistogram(), IoJob.newHistogram()};
        final List<List<Double>> iopsSamples = List.of(new ArrayList<>(), new ArrayList<>());
        final List<List<Double>> bwSamples = List.of(new ArrayList<>(), new ArrayList<>());
        final List<Integer> hctxs = new ArrayList<>();
        long cpuNs;
        long userNs;
        long cpuWallNs;
        int iodepth;

        Unit(String name, int jobs) {
            this.name = name;
            this.jobs = jobs;
        }

        double iops(int d) {
            return runtimeNs == 0 ? 0 : ios[d] * 1e9 / runtimeNs;
        }

        double bwBytes(int d) {
            return runtimeNs == 0 ? 0 : bytes[d] * 1e9 / runtimeNs;
        }
    }

    /** Report units from a run: one per job, or one for all with {@code groupReporting}. */
    static List<Unit> units(WorkloadRunner.RunResult r, boolean groupReporting) {
        List<Unit> out = new ArrayList<>();
        Unit group = null;
        for (WorkloadRunner.JobResult jr : r.jobs) {
            Unit u;
            if (groupReporting) {
                if (group == null) {
                    group = new Unit(jr.job.spec.name(), r.jobs.size());
                    out.add(group);
                }
                u = group;
            } else {
                u = new Unit(jr.job.spec.name(), 1);
                out.add(u);
            }
            if (u.error == 0 && jr.job.error() != 0) {
                u.error = jr.job.error();
                u.errorDetail = jr.job.errorDetail();
            }
            u.runtimeNs = Math.max(u.runtimeNs, jr.runtimeNs);
            u.verified += jr.job.verified();
            u.hctxs.add(jr.job.hctxIndex());
            u.iodepth = jr.job.spec.iodepth();
            if (jr.job.cpuNs() >= 0) {
                u.cpuNs += jr.job.cpuNs();
                u.userNs += jr.job.userNs();
                u.cpuWallNs += jr.runtimeNs;
            }
            for (int d = 0; d < 2; d++) {
                u.ios[d] += jr.ios[d];
                u.bytes[d] += jr.bytes[d];
                u.lat[d].add(jr.job.latency[d]);
                if (groupReporting && u.iopsSamples.get(d).size() > 0) {
                    sumInto(u.iopsSamples.get(d), jr.iopsSamples.get(d));
                    sumInto(u.bwSamples.get(d), jr.bwSamples.get(d));
                } else {
                    u.iopsSamples.get(d).addAll(jr.iopsSamples.get(d));
                    u.bwSamples.get(d).addAll(jr.bwSamples.get(d));
                }
            }
        }
        return out;
    }

    /** Group samples are the jobs' samples of the same interval, summed. */
    private static void sumInto(List<Double> acc, List<Double> add) {
        int n = Math.min(acc.size(), add.size());
        for (int i = 0; i < n; i++) {
            acc.set(i, acc.get(i) + add.get(i));
        }
        while (acc.size() > n) {
            acc.remove(acc.size() - 1);
        }
    }

    /** The errno's symbolic name from {@link Errno}, e.g. "EILSEQ (84)". */
    static String errnoName(int errno) {
        for (Field f : Errno.class.getFields()) {
            try {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class && f.getInt(null) == errno) {
                    return f.getName() + " (" + errno + ")";
                }
            } catch (IllegalAccessException e) {
                break;
            }
        }
        return "errno " + errno;
    }

    // ---- sample statistics ------------------------------------------------------------------

    static double min(List<Double> v) {
        double m = Double.MAX_VALUE;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return v.isEmpty() ? 0 : m;
    }

    static double max(List<Double> v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    static double mean(List<Double> v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.isEmpty() ? 0 : s / v.size();
    }

    /** Sample standard deviation (fio divides by n - 1). */
    static double stddev(List<Double> v) {
        if (v.size() < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.size() - 1));
    }
}
