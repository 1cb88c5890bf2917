package jblk.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jblk.json.JsonWriter;

/**
 * The results of {@code ./jblk compare}: every round by workload, and what follows from them: per
 * workload and variant the medians, per {@link ComparePair} the medians of the paired figures with
 * their bootstrap 95% intervals, the worker JVMs whose rounds fell into two levels, and the noise.
 * {@link CompareText} words it, {@link #json()} writes it whole.
 */
final class CompareReport {
    /** The settings a reader needs to interpret the figures. */
    record Settings(double runtimeS, double rampS, double sliceMs, int roundsPerSet, int minSets, double precisionPts,
                    double maxTimeS, CpuPlacement placement) {
    }

    /** The median figures of one workload and variant over every round. */
    record Cell(double iops, double cpuPerIo, long p99Ns, double allocPerIo, int runs, int jitRuns) {
    }

    /**
     * What one worker JVM's check of its hot path found at the end of its set: the methods whose C2
     * code changed after the warm-up ({@link HotPath}), empty for none, null when it could not say.
     */
    record HotPathCheck(CompareWorkload workload, Variant variant, int set, List<String> recompiled) {
    }

    /** A worker JVM whose rounds fell into two levels of CPU per I/O. */
    record ModeSwitch(CompareWorkload workload, Variant variant, int set, TwoLevels.Split split) {
    }

    final List<CompareWorkload> workloads;
    final List<Variant> variants;
    final Settings settings;
    final Map<String, String> machine;
    private final Map<String, List<CompareRound>> rounds = new LinkedHashMap<>();
    final List<HotPathCheck> hotPathChecks = new ArrayList<>();
    StopRule.Outcome outcome = StopRule.Outcome.CONTINUE;
    /** Why some workloads did not run (--workloads auto), or null. */
    String workloadsNote;
    double elapsedS;

    CompareReport(List<CompareWorkload> workloads, List<Variant> variants, Settings settings,
                  Map<String, String> machine) {
        this.workloads = workloads;
        this.variants = variants;
        this.settings = settings;
        this.machine = machine;
        for (CompareWorkload w : workloads) {
            rounds.put(w.name(), new ArrayList<>());
        }
    }

    void add(CompareWorkload w, CompareRound r) {
        rounds.get(w.name()).add(r);
    }

    List<CompareRound> rounds(CompareWorkload w) {
        return rounds.get(w.name());
    }

    /** Worker sets run so far on {@code w}. */
    int sets(CompareWorkload w) {
        int s = 0;
        for (CompareRound r : rounds(w)) {
            s = Math.max(s, r.set() + 1);
        }
        return s;
    }

    List<ComparePair> pairs() {
        List<ComparePair> ps = new ArrayList<>();
        for (ComparePair p : ComparePair.values()) {
            if (p.in(variants)) {
                ps.add(p);
            }
        }
        return ps;
    }

    /**
     * Whether {@code --precision} applies to {@code p} in this run: the pairs with a target (or a
     * strategy's), and off vs raw when the run compares nothing else ({@code --variants raw,off}).
     */
    boolean gated(ComparePair p) {
        if (p.gated) {
            return true;
        }
        for (ComparePair q : pairs()) {
            if (q.gated) {
                return false;
            }
        }
        return p.charted;
    }

    /**
     * The variants some {@code --precision} interval needs, in run order (all of them when none
     * does). The others (raw, debug) run only in the first --min-sets sets of a workload: their
     * intervals need no precision, so later sets spend no time on them.
     */
    List<Variant> gatedVariants() {
        List<Variant> vs = new ArrayList<>();
        for (Variant v : variants) {
            for (ComparePair p : pairs()) {
                if (gated(p) && (p.a == v || p.b == v) && !vs.contains(v)) {
                    vs.add(v);
                }
            }
        }
        return vs.isEmpty() ? variants : vs;
    }

    /** The medians, or null when the variant has not run. */
    Cell cell(CompareWorkload w, Variant v) {
        List<Double> iops = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        long alloc = 0;
        long ios = 0;
        int jit = 0;
        for (CompareRound r : rounds(w)) {
            CompareRound.Run x = r.runs().get(v);
            if (x == null) {
                continue;
            }
            iops.add(x.iops());
            if (!Double.isNaN(x.cpuPerIo())) {
                cpu.add(x.cpuPerIo());
            }
            p99.add((double) x.p99Ns());
            alloc = alloc < 0 || x.allocBytes() < 0 ? -1 : alloc + x.allocBytes();
            ios += x.ios();
            jit += x.jitMs() > 0 ? 1 : 0;
        }
        if (iops.isEmpty()) {
            return null;
        }
        return new Cell(median(iops), cpu.isEmpty() ? Double.NaN : median(cpu), Math.round(median(p99)),
                ios == 0 || alloc < 0 ? -1 : (double) alloc / ios, iops.size(), jit);
    }

    static double median(List<Double> v) {
        double[] a = new double[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
        }
        return a.length == 0 ? Double.NaN : Bootstrap.median(a, a.length);
    }

    /**
     * The median paired figure and its 95% interval, or null when no block had both sides. A figure
     * is one ABBA block: two consecutive rounds of a set (A B, B A), each side's two runs pooled. A
     * run that follows its own JVM's run costs less than one that follows another JVM's (4-6% on the
     * memory-backed workloads, all through a 0.3 s run; presumably the pinned CPU's caches holding the
     * other JVM's data), and within a block each side has one of each; a figure per round would carry that as a
     * +-5-point swing between even and odd rounds, and the interval with it.
     */
    Bootstrap.Interval interval(CompareWorkload w, ComparePair p, ComparePair.Metric m) {
        return Bootstrap.median(figures(w, p, m), Bootstrap.RESAMPLES, seed(w, p, m));
    }

    /** {@link #interval}, or null below two figures: one gives a zero-width interval that says nothing of the noise. */
    private Bootstrap.Interval intervalOfTwoOrMore(CompareWorkload w, ComparePair p, ComparePair.Metric m) {
        List<double[]> figures = figures(w, p, m);
        int n = 0;
        for (double[] c : figures) {
            n += c.length;
        }
        return n < 2 ? null : Bootstrap.median(figures, Bootstrap.RESAMPLES, seed(w, p, m));
    }

    /** The figures of {@link #interval}, one array per set; CPU's at equal switching ({@link #switchSlope}). */
    private List<double[]> figures(CompareWorkload w, ComparePair p, ComparePair.Metric m) {
        Paired d = paired(w, p, m);
        return m == ComparePair.Metric.CPU ? SwitchAdjustment.adjusted(d.x, d.z, d.slope()) : d.x;
    }

    /**
     * The slope by which {@link ComparePair.Metric#CPU} takes out the difference in context switches
     * per I/O (% per switch per I/O), NaN where it is not applied.
     */
    double switchSlope(CompareWorkload w, ComparePair p) {
        return paired(w, p, ComparePair.Metric.CPU_UNADJUSTED).slope();
    }

    /**
     * How far taking out the switches moved the CPU figure (points, at equal switching minus as
     * measured), NaN where it was not applied: if a variant itself made its threads switch more
     * or less, this is that part of its cost, which the figure leaves out.
     */
    double switchShiftPts(CompareWorkload w, ComparePair p) {
        if (Double.isNaN(switchSlope(w, p))) {
            return Double.NaN;
        }
        Bootstrap.Interval a = interval(w, p, ComparePair.Metric.CPU);
        Bootstrap.Interval m = interval(w, p, ComparePair.Metric.CPU_UNADJUSTED);
        return a == null || m == null ? Double.NaN : a.median() - m.median();
    }

    /** Per set, per block: the figures {@code x}, a's minus b's switches per I/O {@code z}; b's rates, all sets. */
    private record Paired(List<double[]> x, List<double[]> z, List<Double> bRates) {
        double slope() {
            return SwitchAdjustment.slope(x, z, bRates.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    private Paired paired(CompareWorkload w, ComparePair p, ComparePair.Metric m) {
        List<double[]> x = new ArrayList<>();
        List<double[]> z = new ArrayList<>();
        List<Double> bRates = new ArrayList<>();
        for (List<CompareRound.Run[]> blocks : blocks(w, p)) {
            List<Double> xs = new ArrayList<>();
            List<Double> zs = new ArrayList<>();
            for (CompareRound.Run[] ab : blocks) {
                double v = m.of(ab[0], ab[1]);
                if (Double.isFinite(v)) {
                    xs.add(v);
                    zs.add(ab[0].switchesPerIo() - ab[1].switchesPerIo());
                    bRates.add(ab[1].switchesPerIo());
                }
            }
            if (!xs.isEmpty()) {
                x.add(xs.stream().mapToDouble(Double::doubleValue).toArray());
                z.add(zs.stream().mapToDouble(Double::doubleValue).toArray());
            }
        }
        return new Paired(x, z, bRates);
    }

    /**
     * Per set, the pair's ABBA blocks: two consecutive rounds (A B, B A) with {a, b} each side's
     * runs in both pooled (null where it missed one).
     */
    private List<List<CompareRound.Run[]>> blocks(CompareWorkload w, ComparePair p) {
        List<List<CompareRound.Run[]>> sets = new ArrayList<>();
        for (int s = 0; s < sets(w); s++) {
            Map<Integer, CompareRound> byIndex = new LinkedHashMap<>();
            for (CompareRound r : rounds(w)) {
                if (r.set() == s) {
                    byIndex.put(r.index(), r);
                }
            }
            List<CompareRound.Run[]> blocks = new ArrayList<>();
            for (CompareRound first : byIndex.values()) {
                CompareRound second = (first.index() & 1) == 0 ? byIndex.get(first.index() + 1) : null;
                if (second != null) {
                    blocks.add(new CompareRound.Run[] {pooled(first, second, p.a), pooled(first, second, p.b)});
                }
            }
            sets.add(blocks);
        }
        return sets;
    }

    /** {@code v}'s runs in both rounds of a block as one, or null when it missed either. */
    private static CompareRound.Run pooled(CompareRound first, CompareRound second, Variant v) {
        CompareRound.Run x = first.runs().get(v);
        CompareRound.Run y = second.runs().get(v);
        return x == null || y == null ? null : x.plus(y);
    }

    /** A fixed seed per interval: the same rounds always give the same interval. */
    static long seed(CompareWorkload w, ComparePair p, ComparePair.Metric m) {
        return 31L * (31L * w.name().hashCode() + p.ordinal()) + m.ordinal();
    }

    /** The widest half-width, in points, of the intervals {@code --precision} applies to on {@code w}. */
    double widestHalfPts(CompareWorkload w) {
        return widestHalfPts(w, ComparePair.Metric.CPU, ComparePair.Metric.IOPS);
    }

    /** {@link #widestHalfPts(CompareWorkload)} over the {@code metrics} given. */
    double widestHalfPts(CompareWorkload w, ComparePair.Metric... metrics) {
        double widest = 0;
        for (ComparePair p : pairs()) {
            if (!gated(p)) {
                continue;
            }
            for (ComparePair.Metric m : metrics) {
                Bootstrap.Interval i = intervalOfTwoOrMore(w, p, m);
                widest = Math.max(widest, i == null ? Double.POSITIVE_INFINITY : i.halfWidth());
            }
        }
        return widest;
    }

    /**
     * Whether {@code w}'s answer is settled short of {@code --precision}: an inline workload (irqmode=0)
     * whose only gated pair is checked vs off, with that pair's interval in ns wholly within or wholly
     * over the one-atomic target. Its verdict is judged in ns, and each set of fresh JVMs lands in a
     * compiled shape of its own (a few ns apart at 50-80 ns per request), so a +-0.5-point interval
     * there would take every set of a 4-minute run from the workloads judged in points.
     */
    boolean decided(CompareWorkload w) {
        List<ComparePair> gatedPairs = new ArrayList<>();
        for (ComparePair p : pairs()) {
            if (gated(p)) {
                gatedPairs.add(p);
            }
        }
        if (!CompareVerdict.inline(w) || !gatedPairs.equals(List.of(ComparePair.CHECKED_VS_OFF))) {
            return false;
        }
        Bootstrap.Interval ns = intervalOfTwoOrMore(w, ComparePair.CHECKED_VS_OFF, ComparePair.Metric.CPU_NS);
        return ns != null && (ns.high() <= CompareTargets.ATOMIC_NS || ns.low() > CompareTargets.ATOMIC_NS);
    }

    /** Worker JVMs whose rounds fell into two levels of CPU per I/O. */
    List<ModeSwitch> modeSwitches() {
        List<ModeSwitch> out = new ArrayList<>();
        for (CompareWorkload w : workloads) {
            for (int s = 0; s < sets(w); s++) {
                List<CompareRound> inSet = new ArrayList<>();
                for (CompareRound r : rounds(w)) {
                    if (r.set() == s) {
                        inSet.add(r);
                    }
                }
                for (Variant v : variants) {
                    List<CompareRound> rs = new ArrayList<>();
                    List<Double> xs = new ArrayList<>();
                    for (CompareRound r : inSet) {
                        CompareRound.Run x = r.runs().get(v);
                        if (x != null && !Double.isNaN(x.cpuPerIo())) {
                            rs.add(r);
                            xs.add(x.cpuPerIo());
                        }
                    }
                    TwoLevels.Split split = TwoLevels.find(xs.stream().mapToDouble(Double::doubleValue).toArray());
                    if (split != null && !othersMovedAlike(rs, xs, v, split)) {
                        out.add(new ModeSwitch(w, v, s, split));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Whether the set's other variants stepped in the same rounds by half of {@code v}'s step or
     * more: in turns a load change hits every variant of a round, and that is the machine, not
     * {@code v}'s compiled code (a mode switch is one JVM's own).
     */
    private static boolean othersMovedAlike(List<CompareRound> rs, List<Double> xs, Variant v,
            TwoLevels.Split split) {
        double cut = (split.low() + split.high()) / 2;
        double step = Math.log(split.high() / split.low());
        boolean any = false;
        for (Variant u : rs.get(0).runs().keySet()) {
            if (u == v) {
                continue;
            }
            double hi = 0;
            double lo = 0;
            int nHi = 0;
            int nLo = 0;
            for (int i = 0; i < rs.size(); i++) {
                CompareRound.Run y = rs.get(i).runs().get(u);
                if (y == null || !(y.cpuPerIo() > 0)) {
                    continue;
                }
                if (xs.get(i) > cut) {
                    hi += Math.log(y.cpuPerIo());
                    nHi++;
                } else {
                    lo += Math.log(y.cpuPerIo());
                    nLo++;
                }
            }
            if (nHi == 0 || nLo == 0 || hi / nHi - lo / nLo < step / 2) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** Rounds whose noise was recorded, and how many of them the machine was busy in. */
    int[] busyRounds() {
        int known = 0;
        int busy = 0;
        for (List<CompareRound> rs : rounds.values()) {
            for (CompareRound r : rs) {
                if (r.noise().known()) {
                    known++;
                    busy += r.noise().busy() ? 1 : 0;
                }
            }
        }
        return new int[] {known, busy};
    }

    /** The median of a noise figure over every round (NaN where none was recorded). */
    double medianNoise(java.util.function.ToDoubleFunction<ProcNoise.Noise> f) {
        List<Double> xs = new ArrayList<>();
        for (List<CompareRound> rs : rounds.values()) {
            for (CompareRound r : rs) {
                double x = f.applyAsDouble(r.noise());
                if (!Double.isNaN(x)) {
                    xs.add(x);
                }
            }
        }
        return median(xs);
    }

    // ---- JSON --------------------------------------------------------------------------------

    String json() {
        JsonWriter j = new JsonWriter().beginObject();
        j.beginObject("machine");
        for (Map.Entry<String, String> e : machine.entrySet()) {
            if (e.getKey().equals("cores")) {
                j.field("cores", Long.parseLong(e.getValue()));
            } else {
                j.field(e.getKey(), e.getValue());
            }
        }
        j.endObject();
        j.beginObject("settings").field("runtime_s", settings.runtimeS()).field("ramp_s", settings.rampS())
                .field("slice_ms", settings.sliceMs())
                .field("rounds_per_set", settings.roundsPerSet()).field("min_sets", settings.minSets())
                .field("precision_pts", settings.precisionPts()).field("max_time_s", settings.maxTimeS())
                .field("bootstrap_resamples", Bootstrap.RESAMPLES)
                .field("pin", settings.placement().split() ? "split" : "none")
                .field("placement", settings.placement().describe()).endObject();
        j.field("ended_by", outcome.name().toLowerCase(java.util.Locale.ROOT));
        if (workloadsNote != null) {
            j.field("workloads_note", workloadsNote);
        }
        j.field("elapsed_s", elapsedS);
        jsonResults(j);
        jsonOverheads(j);
        j.beginArray("mode_switches");
        for (ModeSwitch m : modeSwitches()) {
            j.beginObject().field("workload", m.workload().name()).field("variant", m.variant().label())
                    .field("set", m.set()).field("low_cpu_ns_per_io", m.split().low())
                    .field("high_cpu_ns_per_io", m.split().high()).field("rounds_low", m.split().nLow())
                    .field("rounds_high", m.split().nHigh()).endObject();
        }
        j.endArray();
        j.beginArray("hot_path_checks");
        for (HotPathCheck c : hotPathChecks) {
            j.beginObject().field("workload", c.workload().name()).field("variant", c.variant().label())
                    .field("set", c.set());
            if (c.recompiled() == null) {
                j.fieldOrNull("recompiled", null);
            } else {
                j.beginArray("recompiled");
                for (String m : c.recompiled()) {
                    j.value(m);
                }
                j.endArray();
            }
            j.endObject();
        }
        j.endArray();
        jsonRounds(j);
        return j.endObject().toString();
    }

    private void jsonResults(JsonWriter j) {
        j.beginArray("results");
        for (CompareWorkload w : workloads) {
            for (Variant v : variants) {
                Cell c = cell(w, v);
                if (c == null) {
                    continue;
                }
                j.beginObject().field("workload", w.name()).field("variant", v.label())
                        .field("iops_median", c.iops()).field("cpu_ns_per_io_median", c.cpuPerIo())
                        .field("p99_clat_ns", c.p99Ns()).field("alloc_bytes_per_io", c.allocPerIo())
                        .field("runs", c.runs()).field("runs_with_jit_activity", c.jitRuns()).endObject();
            }
        }
        j.endArray();
    }

    private void jsonOverheads(JsonWriter j) {
        j.beginArray("overhead");
        for (CompareWorkload w : workloads) {
            for (ComparePair p : pairs()) {
                j.beginObject().field("workload", w.name()).field("pair", p.key());
                for (ComparePair.Metric m : ComparePair.Metric.values()) {
                    Bootstrap.Interval i = interval(w, p, m);
                    if (i == null) {
                        j.fieldOrNull(m.key, null);
                    } else {
                        j.beginObject(m.key).field("median", i.median()).field("low", i.low())
                                .field("high", i.high()).endObject();
                    }
                }
                double slope = switchSlope(w, p);
                double shift = switchShiftPts(w, p);
                j.fieldOrNull("cpu_switch_slope", Double.isNaN(slope) ? null : slope)
                        .fieldOrNull("cpu_switch_shift_pts", Double.isNaN(shift) ? null : shift)
                        .field("verdict", CompareVerdict.of(this, w, p)).endObject();
            }
        }
        j.endArray();
    }

    private void jsonRounds(JsonWriter j) {
        j.beginArray("rounds");
        for (CompareWorkload w : workloads) {
            for (CompareRound r : rounds(w)) {
                StringBuilder order = new StringBuilder();
                for (Variant v : r.order()) {
                    order.append(order.length() > 0 ? " " : "").append(v.label());
                }
                j.beginObject().field("workload", w.name()).field("set", r.set()).field("round", r.index())
                        .field("order", order.toString()).field("cpus", r.cpus()).field("load1", r.noise().load1())
                        .field("steal_pct", r.noise().stealPct()).field("others_cpu_pct", r.noise().othersPct())
                        .field("busy", r.noise().busy() ? "yes" : r.noise().known() ? "no" : "unknown");
                j.beginArray("runs");
                for (Variant v : r.order()) {
                    CompareRound.Run x = r.runs().get(v);
                    j.beginObject().field("variant", v.label()).field("iops", x.iops()).field("ios", x.ios())
                            .field("cpu_ns", x.cpuNs()).field("p99_clat_ns", x.p99Ns())
                            .field("alloc_bytes", x.allocBytes()).field("jit_ms", x.jitMs())
                            .field("context_switches", x.switches()).endObject();
                }
                j.endArray().endObject();
            }
        }
        j.endArray();
    }
}
