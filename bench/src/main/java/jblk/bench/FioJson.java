package jblk.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import jblk.json.JsonWriter;
import org.HdrHistogram.Histogram;

/**
 * fio's JSON output schema (fio 3.x {@code --output-format=json}), so fio's tooling reads jblk's
 * results: "jblk version" stands where "fio version" does, and a "jblk" object per job carries what
 * fio has no field for (device, hardware queues, verified blocks, error detail, allocation).
 */
final class FioJson {
    private FioJson() {
    }

    static String write(List<FioReport.Unit> units, Map<String, String> globalOptions, Map<String, String> jobOptions,
                       Map<String, String> jblkInfo, String version) {
        long now = System.currentTimeMillis();
        JsonWriter w = new JsonWriter().beginObject();
        w.field("jblk version", "jblk-" + version);
        w.field("timestamp", now / 1000);
        w.field("timestamp_ms", now);
        w.field("time", FioText.ctime(now));
        w.beginObject("global options");
        for (Map.Entry<String, String> e : globalOptions.entrySet()) {
            w.field(e.getKey(), e.getValue());
        }
        w.endObject();
        w.beginArray("jobs");
        for (FioReport.Unit u : units) {
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
                direction(w, FioReport.DIR_NAMES[d], u, d, units);
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

    private static void direction(JsonWriter w, String name, FioReport.Unit u, int d, List<FioReport.Unit> all) {
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
        for (FioReport.Unit o : all) {
            groupBw += o.bwBytes(d);
        }
        w.field("bw_min", (long) FioReport.min(bw));
        w.field("bw_max", (long) FioReport.max(bw));
        w.field("bw_agg", groupBw == 0 ? 0.0 : 100.0 * bwBytes / groupBw);
        w.field("bw_mean", FioReport.mean(bw));
        w.field("bw_dev", FioReport.stddev(bw));
        w.field("bw_samples", bw.size());
        List<Double> io = u.iopsSamples.get(d);
        w.field("iops_min", (long) FioReport.min(io));
        w.field("iops_max", (long) FioReport.max(io));
        w.field("iops_mean", FioReport.mean(io));
        w.field("iops_stddev", FioReport.stddev(io));
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
            for (double p : FioReport.PERCENTILES) {
                w.field(String.format(Locale.ROOT, "%.6f", p), h.getValueAtPercentile(p));
            }
            w.endObject();
        }
        w.endObject();
    }

    /** fio's latency_ns/us/ms: the percentage of I/Os whose latency falls in each bin (both directions). */
    private static void latencyBins(JsonWriter w, FioReport.Unit u) {
        Histogram all = IoJob.newHistogram();
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
}
