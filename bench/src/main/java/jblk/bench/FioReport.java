package jblk.bench;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jblk.blockcore.Errno;
import org.HdrHistogram.Histogram;

/**
 * Turns a {@link WorkloadRunner.RunResult} into what fio prints: its JSON schema (so fio's tooling
 * reads it; "jblk version" stands where "fio version" does) and its normal text report.
 *
 * <p>Latency: jblk measures one latency per I/O, from {@code submitBio} to the bio's callback. It
 * is reported as {@code clat_ns} and, identically, {@code lat_ns}; {@code slat_ns} has no samples
 * (submission is not timed separately). With latency sampling, N counts the sampled I/Os.
 */
final class FioReport {
    static final double[] PERCENTILES = {1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};
    private static final String[] DIR_NAMES = {"read", "write"};

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
        final Histogram[] lat = {new Histogram(1, IoJob.MAX_LATENCY_NS, 3), new Histogram(1, IoJob.MAX_LATENCY_NS, 3)};
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

    // ---- JSON --------------------------------------------------------------------------------

    static String json(List<Unit> units, Map<String, String> globalOptions, Map<String, String> jobOptions,
                       Map<String, String> jblkInfo, String version) {
        long now = System.currentTimeMillis();
        JsonWriter w = new JsonWriter().beginObject();
        w.field("jblk version", "jblk-" + version);
        w.field("timestamp", now / 1000);
        w.field("timestamp_ms", now);
        w.field("time", new SimpleDateFormat("EEE MMM d HH:mm:ss yyyy", Locale.ROOT).format(new Date(now)));
        w.beginObject("global options");
        for (Map.Entry<String, String> e : globalOptions.entrySet()) {
            w.field(e.getKey(), e.getValue());
        }
        w.endObject();
        w.beginArray("jobs");
        for (Unit u : units) {
            w.beginObject();
            w.field("jobname", u.name);
            w.field("groupid", 0);
            w.field("error", u.error);
            w.field("eta", 0);
            w.field("elapsed", Math.max(1, Math.round(u.runtimeNs / 1e9)));
            w.beginObject("job options");
            for (Map.Entry<String, String> e : jobOptions.entrySet()) {
                w.field(e.getKey(), e.getValue());
            }
            w.endObject();
            for (int d = 0; d < 2; d++) {
                direction(w, DIR_NAMES[d], u, d, units);
            }
            emptyDirection(w, "trim");
            w.beginObject("sync");
            w.field("total_ios", 0);
            summary(w, "lat_ns", null, false);
            w.endObject();
            w.field("job_runtime", Math.round(u.runtimeNs / 1e6));
            // the submitter threads' CPU time over their measured time (completion threads not included)
            w.field("usr_cpu", u.cpuWallNs == 0 ? 0.0 : 100.0 * u.userNs / u.cpuWallNs);
            w.field("sys_cpu", u.cpuWallNs == 0 ? 0.0 : 100.0 * (u.cpuNs - u.userNs) / u.cpuWallNs);
            latencyBins(w, u);
            // fio's latency-target settings, echoed: jblk has no latency target (fio's defaults)
            w.field("latency_depth", u.iodepth);
            w.field("latency_target", 0);
            w.field("latency_percentile", 100.0);
            w.field("latency_window", 0);
            w.beginObject("jblk");
            for (Map.Entry<String, String> e : jblkInfo.entrySet()) {
                w.field(e.getKey(), e.getValue());
            }
            w.field("jobs", u.jobs);
            w.field("hctx", u.hctxs.toString());
            w.field("verified_blocks", u.verified);
            if (u.errorDetail != null) {
                w.field("error_detail", u.errorDetail);
            }
            w.endObject();
            w.endObject();
        }
        w.endArray();
        w.endObject();
        return w.toString();
    }

    private static void direction(JsonWriter w, String name, Unit u, int d, List<Unit> all) {
        long runtimeMs = u.ios[d] == 0 ? 0 : Math.round(u.runtimeNs / 1e6);
        double bwBytes = u.ios[d] == 0 ? 0 : u.bwBytes(d);
        w.beginObject(name);
        w.field("io_bytes", u.bytes[d]);
        w.field("io_kbytes", u.bytes[d] / 1024);
        w.field("bw_bytes", (long) bwBytes);
        w.field("bw", (long) (bwBytes / 1024));
        w.field("iops", u.ios[d] == 0 ? 0.0 : u.iops(d));
        w.field("runtime", runtimeMs);
        w.field("total_ios", u.ios[d]);
        w.field("short_ios", 0);
        w.field("drop_ios", 0);
        summary(w, "slat_ns", null, false);
        summary(w, "clat_ns", u.lat[d], true);
        summary(w, "lat_ns", u.lat[d], true);
        List<Double> bw = u.bwSamples.get(d);
        double groupBw = 0;
        for (Unit o : all) {
            groupBw += o.bwBytes(d);
        }
        w.field("bw_min", (long) min(bw));
        w.field("bw_max", (long) max(bw));
        w.field("bw_agg", groupBw == 0 ? 0.0 : 100.0 * bwBytes / groupBw);
        w.field("bw_mean", mean(bw));
        w.field("bw_dev", stddev(bw));
        w.field("bw_samples", bw.size());
        List<Double> io = u.iopsSamples.get(d);
        w.field("iops_min", (long) min(io));
        w.field("iops_max", (long) max(io));
        w.field("iops_mean", mean(io));
        w.field("iops_stddev", stddev(io));
        w.field("iops_samples", io.size());
        w.endObject();
    }

    private static void emptyDirection(JsonWriter w, String name) {
        w.beginObject(name);
        for (String f : new String[] {"io_bytes", "io_kbytes", "bw_bytes", "bw"}) {
            w.field(f, 0);
        }
        w.field("iops", 0.0);
        for (String f : new String[] {"runtime", "total_ios", "short_ios", "drop_ios"}) {
            w.field(f, 0);
        }
        summary(w, "slat_ns", null, false);
        summary(w, "clat_ns", null, false);
        summary(w, "lat_ns", null, false);
        w.field("bw_min", 0).field("bw_max", 0).field("bw_agg", 0.0).field("bw_mean", 0.0).field("bw_dev", 0.0)
                .field("bw_samples", 0);
        w.field("iops_min", 0).field("iops_max", 0).field("iops_mean", 0.0).field("iops_stddev", 0.0)
                .field("iops_samples", 0);
        w.endObject();
    }

    /** {min, max, mean, stddev, N[, percentile]} from a histogram (nothing recorded: zeros). */
    private static void summary(JsonWriter w, String name, Histogram h, boolean percentiles) {
        w.beginObject(name);
        long n = h == null ? 0 : h.getTotalCount();
        w.field("min", n == 0 ? 0 : h.getMinValue());
        w.field("max", n == 0 ? 0 : h.getMaxValue());
        w.field("mean", n == 0 ? 0.0 : h.getMean());
        w.field("stddev", n == 0 ? 0.0 : h.getStdDeviation());
        w.field("N", n);
        if (percentiles && n > 0) {
            w.beginObject("percentile");
            for (double p : PERCENTILES) {
                w.field(String.format(Locale.ROOT, "%.6f", p), h.getValueAtPercentile(p));
            }
            w.endObject();
        }
        w.endObject();
    }

    /** fio's latency_ns/us/ms: the percentage of I/Os whose latency falls in each bin (both directions). */
    private static void latencyBins(JsonWriter w, Unit u) {
        Histogram all = new Histogram(1, IoJob.MAX_LATENCY_NS, 3);
        all.add(u.lat[0]);
        all.add(u.lat[1]);
        long n = all.getTotalCount();
        long[] edges = {2, 4, 10, 20, 50, 100, 250, 500, 750, 1000};
        String[] names = {"latency_ns", "latency_us", "latency_ms"};
        long scale = 1;
        long lower = 0;
        for (int s = 0; s < 3; s++) {
            w.beginObject(names[s]);
            for (long e : edges) {
                long hi = e * scale;
                w.field(Long.toString(e), pct(all, lower, hi, n));
                lower = hi;
            }
            if (s == 2) {
                w.field("2000", pct(all, lower, 2000 * scale, n));
                w.field(">=2000", pct(all, 2000 * scale, Long.MAX_VALUE, n));
            }
            w.endObject();
            scale *= 1000;
        }
    }

    /** Percentage of values in {@code [lo, hi)} (fio's bins are "up to" their label). */
    private static double pct(Histogram h, long lo, long hi, long n) {
        if (n == 0) {
            return 0;
        }
        long c = h.getCountBetweenValues(Math.max(lo, 0), Math.min(hi, h.getHighestTrackableValue()));
        // getCountBetweenValues is inclusive of both ends: take hi's bucket out, it belongs to the next bin
        if (hi <= h.getHighestTrackableValue()) {
            c -= h.getCountAtValue(hi);
        }
        return 100.0 * Math.max(0, c) / n;
    }

    // ---- normal output ---------------------------------------------------------------------

    static String normal(List<Unit> units, String header, String deviceLine, String version) {
        StringBuilder sb = new StringBuilder();
        sb.append(header).append('\n');
        sb.append("jblk-").append(version).append('\n');
        sb.append(deviceLine).append('\n');
        String date = new SimpleDateFormat("EEE MMM d HH:mm:ss yyyy", Locale.ROOT).format(new Date());
        long pid = ProcessHandle.current().pid();
        for (Unit u : units) {
            sb.append('\n');
            sb.append(u.name).append(": (groupid=0, jobs=").append(u.jobs).append("): err=")
                    .append(String.format("%2d", u.error)).append(": pid=").append(pid).append(": ").append(date)
                    .append('\n');
            if (u.error != 0) {
                sb.append("  error: ").append(errnoName(u.error)).append(": ").append(u.errorDetail).append('\n');
            }
            for (int d = 0; d < 2; d++) {
                if (u.ios[d] == 0) {
                    continue;
                }
                appendDirection(sb, u, d);
            }
            if (u.cpuWallNs > 0) {
                sb.append(String.format(Locale.ROOT, "  cpu          : usr=%.2f%%, sys=%.2f%% (submitter threads)%n",
                        100.0 * u.userNs / u.cpuWallNs, 100.0 * (u.cpuNs - u.userNs) / u.cpuWallNs));
            }
            sb.append(String.format(Locale.ROOT, "  jblk         : hctx=%s", u.hctxs));
            if (u.verified > 0) {
                sb.append(", verified=").append(u.verified).append(" blocks");
            }
            sb.append('\n');
            sb.append(String.format(Locale.ROOT, "     issued rwts: total=%d,%d,0,0 short=0,0,0,0 dropped=0,0,0,0%n",
                    u.ios[0], u.ios[1]));
        }
        sb.append("\nRun status group 0 (all jobs):\n");
        for (int d = 0; d < 2; d++) {
            long ios = 0;
            long bytes = 0;
            long runMax = 0;
            long runMin = Long.MAX_VALUE;
            double bwMin = Double.MAX_VALUE;
            double bwMax = 0;
            for (Unit u : units) {
                if (u.ios[d] == 0) {
                    continue;
                }
                ios += u.ios[d];
                bytes += u.bytes[d];
                runMax = Math.max(runMax, u.runtimeNs);
                runMin = Math.min(runMin, u.runtimeNs);
                bwMin = Math.min(bwMin, u.bwBytes(d));
                bwMax = Math.max(bwMax, u.bwBytes(d));
            }
            if (ios == 0) {
                continue;
            }
            double bw = bytes * 1e9 / runMax;
            sb.append(String.format(Locale.ROOT, "  %5s: bw=%s, %s-%s (%s-%s), io=%s (%s), run=%d-%dmsec%n",
                    DIR_NAMES[d].toUpperCase(Locale.ROOT), Units.bandwidth(bw), Units.binary(bwMin) + "/s",
                    Units.binary(bwMax) + "/s", Units.decimal(bwMin) + "/s", Units.decimal(bwMax) + "/s",
                    Units.binary(bytes), Units.decimal(bytes), Math.round(runMin / 1e6), Math.round(runMax / 1e6)));
        }
        return sb.toString();
    }

    private static void appendDirection(StringBuilder sb, Unit u, int d) {
        sb.append(String.format(Locale.ROOT, "  %s: IOPS=%s, BW=%s(%s/%dmsec)%n", DIR_NAMES[d],
                Units.shortCount(u.iops(d)), Units.bandwidth(u.bwBytes(d)), Units.binary(u.bytes[d]),
                Math.round(u.runtimeNs / 1e6)));
        Histogram h = u.lat[d];
        if (h.getTotalCount() > 0) {
            double mean = h.getMean();
            long div = mean >= 10_000_000 ? 1_000_000 : mean >= 10_000 ? 1000 : 1;
            String unit = div == 1 ? "nsec" : div == 1000 ? "usec" : "msec";
            String stats = String.format(Locale.ROOT, "min=%d, max=%d, avg=%.2f, stdev=%.2f", h.getMinValue() / div,
                    h.getMaxValue() / div, mean / div, h.getStdDeviation() / div);
            sb.append(String.format(Locale.ROOT, "    clat (%s): %s%n", unit, stats));
            sb.append(String.format(Locale.ROOT, "     lat (%s): %s%n", unit, stats));
            sb.append(String.format(Locale.ROOT, "    clat percentiles (%s):%n", unit));
            for (int i = 0; i < PERCENTILES.length; i++) {
                if (i % 4 == 0) {
                    sb.append(i == 0 ? "     |" : "     |");
                }
                sb.append(String.format(Locale.ROOT, "%6.2fth=[%5d]", PERCENTILES[i],
                        h.getValueAtPercentile(PERCENTILES[i]) / div));
                if (i % 4 == 3 || i == PERCENTILES.length - 1) {
                    sb.append(i == PERCENTILES.length - 1 ? "\n" : ",\n");
                } else {
                    sb.append(", ");
                }
            }
        }
        List<Double> bw = u.bwSamples.get(d);
        List<Double> io = u.iopsSamples.get(d);
        if (!bw.isEmpty()) {
            sb.append(String.format(Locale.ROOT,
                    "   bw (  KiB/s): min=%d, max=%d, avg=%.2f, stdev=%.2f, samples=%d%n",
                    (long) min(bw), (long) max(bw), mean(bw), stddev(bw), bw.size()));
            sb.append(String.format(Locale.ROOT,
                    "   iops        : min=%d, max=%d, avg=%.2f, stdev=%.2f, samples=%d%n",
                    (long) min(io), (long) max(io), mean(io), stddev(io), io.size()));
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

    /** Options as given, for "global options" / "job options" (insertion order kept). */
    static Map<String, String> options() {
        return new LinkedHashMap<>();
    }
}
