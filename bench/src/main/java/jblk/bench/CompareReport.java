package jblk.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jblk.json.JsonWriter;

/**
 * The results of {@code ./jblk compare}: every run's numbers by workload and variant, their
 * medians and spreads, the overheads (checked vs off, off vs raw) and a verdict per workload
 * against the targets; as a text table or the JSON schema of the issue.
 */
final class CompareReport {
    /** The IOPS target for checked vs off on softirq and memory-backed workloads (aim: 1%). */
    static final double CHECKED_PCT_TARGET = 2.0;
    /** One uncontended CAS on this machine (the figure): checked's budget per request at irqmode=0. */
    static final double ATOMIC_NS = 4.5;
    /** raw null_blk, irqmode=0, one job: the per-request target. */
    static final double RAW_NS_TARGET = 35.0;
    /** 2 jobs on 2 hw queues vs 1 job at irqmode=0. */
    static final double SCALING_TARGET = 1.8;

    /** One measured run. */
    record Run(double iops, long ios, long p99Ns, long allocBytes, String hctx) {
    }

    /** The aggregate of one workload and variant. */
    record Cell(double median, double min, double max, long p99Ns, double allocPerIo, int runs) {
        double spreadPct() {
            return median == 0 ? 0 : 100.0 * (max - min) / median;
        }
    }

    final List<CompareWorkload> workloads;
    final List<Variant> variants;
    final double runtimeS;
    final int repetitions;
    final Map<String, String> machine;
    private final Map<String, Map<Variant, List<Run>>> runs = new LinkedHashMap<>();

    CompareReport(List<CompareWorkload> workloads, List<Variant> variants, double runtimeS, int repetitions,
                  Map<String, String> machine) {
        this.workloads = workloads;
        this.variants = variants;
        this.runtimeS = runtimeS;
        this.repetitions = repetitions;
        this.machine = machine;
        for (CompareWorkload w : workloads) {
            Map<Variant, List<Run>> m = new LinkedHashMap<>();
            for (Variant v : variants) {
                m.put(v, new ArrayList<>());
            }
            runs.put(w.name(), m);
        }
    }

    void add(CompareWorkload w, Variant v, Run r) {
        runs.get(w.name()).get(v).add(r);
    }

    /** The aggregate, or null when the variant was not run. */
    Cell cell(CompareWorkload w, Variant v) {
        Map<Variant, List<Run>> m = runs.get(w.name());
        List<Run> rs = m == null ? null : m.get(v);
        if (rs == null || rs.isEmpty()) {
            return null;
        }
        List<Double> iops = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        long alloc = 0;
        long ios = 0;
        for (Run r : rs) {
            iops.add(r.iops());
            p99.add((double) r.p99Ns());
            alloc += r.allocBytes();
            ios += r.ios();
        }
        return new Cell(median(iops), Collections.min(iops), Collections.max(iops), Math.round(median(p99)),
                ios == 0 || alloc < 0 ? -1 : (double) alloc / ios, rs.size());
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n == 0 ? 0 : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** IOPS lost by {@code a} relative to {@code b}, in percent (positive: a is slower); null if either is missing. */
    Double overheadPct(CompareWorkload w, Variant a, Variant b) {
        Cell ca = cell(w, a);
        Cell cb = cell(w, b);
        if (ca == null || cb == null || cb.median() == 0) {
            return null;
        }
        return 100.0 * (1 - ca.median() / cb.median());
    }

    /** Nanoseconds per request per job (each job is one submitting thread). */
    static double nsPerRequest(CompareWorkload w, Cell c) {
        return c == null || c.median() == 0 ? Double.NaN : w.jobs() * 1e9 / c.median();
    }

    // ---- text ------------------------------------------------------------------------------

    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-20s %-8s %12s %23s %8s %11s %11s%n", "workload", "variant",
                "IOPS median", "min .. max", "spread", "p99 clat", "alloc B/IO"));
        for (CompareWorkload w : workloads) {
            for (Variant v : variants) {
                Cell c = cell(w, v);
                if (c == null) {
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "%-20s %-8s %12s %23s %7.1f%% %11s %11s%n", w.name(), v.label(),
                        Units.iops(c.median()), Units.iops(c.min()) + " .. " + Units.iops(c.max()), c.spreadPct(),
                        latency(c.p99Ns()), c.allocPerIo() < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f",
                                c.allocPerIo())));
            }
        }
        return sb.toString();
    }

    private static String latency(long ns) {
        if (ns >= 10_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
        }
        if (ns >= 10_000) {
            return String.format(Locale.ROOT, "%.1f us", ns / 1e3);
        }
        return ns + " ns";
    }

    /** One verdict line per workload: overheads against the targets, and the noise. */
    List<String> verdicts() {
        List<String> out = new ArrayList<>();
        for (CompareWorkload w : workloads) {
            List<String> parts = new ArrayList<>();
            Double chk = overheadPct(w, Variant.CHECKED, Variant.OFF);
            Cell off = cell(w, Variant.OFF);
            Cell checked = cell(w, Variant.CHECKED);
            Cell raw = cell(w, Variant.RAW);
            boolean inline = w.nullb().contains("irqmode=0");
            if (chk != null) {
                String noise = noise(chk, off, checked);
                if (inline) {
                    double dns = nsPerRequest(w, checked) - nsPerRequest(w, off);
                    parts.add(String.format(Locale.ROOT,
                            "checked costs %.1f%% vs off, %+.1f ns/request (target <= one atomic, ~%.1f ns): %s%s",
                            chk, dns, ATOMIC_NS, shown(dns) <= ATOMIC_NS ? "OK" : "MISSED", noise));
                } else {
                    parts.add(String.format(Locale.ROOT, "checked costs %.1f%% vs off (target <= %.0f%%, aim 1%%): %s%s",
                            chk, CHECKED_PCT_TARGET, shown(chk) <= CHECKED_PCT_TARGET ? "OK" : "MISSED", noise));
                }
            }
            Double offRaw = overheadPct(w, Variant.OFF, Variant.RAW);
            if (offRaw != null) {
                parts.add(String.format(Locale.ROOT, "off costs %.1f%% vs raw%s", offRaw, noise(offRaw, raw, off)));
            }
            if (inline && raw != null && w.jobs() == 1) {
                double ns = nsPerRequest(w, raw);
                // The job's own bookkeeping (offsets, slots, accounting: ~15 ns) is in this figure;
                // the block layer's share is what JMH NullBlkBench.oneJob measures.
                parts.add(String.format(Locale.ROOT, "raw %.1f ns/request with the job's own work (target < %.0f ns for"
                        + " the block layer alone: see ./jblk jmh NullBlkBench.oneJob)", ns, RAW_NS_TARGET));
            }
            if (inline && raw != null && w.jobs() == 2) {
                for (CompareWorkload one : workloads) {
                    Cell r1 = cell(one, Variant.RAW);
                    if (one.jobs() == 1 && one.nullb().contains("irqmode=0") && r1 != null && r1.median() > 0) {
                        double x = raw.median() / r1.median();
                        parts.add(String.format(Locale.ROOT, "raw 2 jobs = %.2fx 1 job (target >= %.1fx): %s", x,
                                SCALING_TARGET, Math.round(x * 100) / 100.0 >= SCALING_TARGET ? "OK" : "MISSED"));
                    }
                }
            }
            if (off != null && off.allocPerIo() >= 0) {
                parts.add(String.format(Locale.ROOT, "off allocates %.2f B/IO (target 0): %s", off.allocPerIo(),
                        off.allocPerIo() < 0.5 ? "OK" : "MISSED"));
            }
            out.add(w.name() + ": " + (parts.isEmpty() ? "(needs the off and checked variants)" : String.join("; ", parts)));
        }
        return out;
    }

    /** A value as the verdict prints it (one decimal): the verdict judges what it shows. */
    private static double shown(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** A note when a difference is smaller than the run-to-run spread of either side. */
    private static String noise(double pct, Cell a, Cell b) {
        if (a == null || b == null) {
            return "";
        }
        double spread = Math.max(a.spreadPct(), b.spreadPct());
        return Math.abs(pct) < spread ? String.format(Locale.ROOT,
                " (within the %.1f%% run-to-run spread: inconclusive)", spread) : "";
    }

    // ---- JSON --------------------------------------------------------------------------------

    String json() {
        JsonWriter w = new JsonWriter().beginObject();
        w.beginObject("machine");
        for (Map.Entry<String, String> e : machine.entrySet()) {
            if (e.getKey().equals("cores")) {
                w.field("cores", Long.parseLong(e.getValue()));
            } else {
                w.field(e.getKey(), e.getValue());
            }
        }
        w.endObject();
        w.field("runtime_s", runtimeS);
        w.field("repetitions", repetitions);
        w.beginArray("results");
        for (CompareWorkload wl : workloads) {
            for (Variant v : variants) {
                Cell c = cell(wl, v);
                if (c == null) {
                    continue;
                }
                w.beginObject();
                w.field("workload", wl.name());
                w.field("variant", v.label());
                w.field("iops_median", c.median());
                w.field("iops_min", c.min());
                w.field("iops_max", c.max());
                w.field("p99_clat_ns", c.p99Ns());
                w.field("alloc_bytes_per_io", c.allocPerIo());
                w.endObject();
            }
        }
        w.endArray();
        w.beginArray("overhead");
        for (CompareWorkload wl : workloads) {
            w.beginObject();
            w.field("workload", wl.name());
            w.fieldOrNull("checked_vs_off_pct", overheadPct(wl, Variant.CHECKED, Variant.OFF));
            w.fieldOrNull("off_vs_raw_pct", overheadPct(wl, Variant.OFF, Variant.RAW));
            w.endObject();
        }
        w.endArray();
        w.endObject();
        return w.toString();
    }
}
