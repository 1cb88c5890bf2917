package jblk.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jblk compare}: the raw C-style null_blk against the safe one with ownership off, checked
 * and debug, on the null_blk workloads of the Rust null_blk work, as paired rounds with intervals.
 *
 * <p>Each workload and variant runs in its own worker JVM ({@link CompareWorker}), like a JMH fork:
 * in one JVM the core's call sites would see every variant's and every workload's classes and
 * branches, turn polymorphic and bias the comparison. A set of workers (one per variant) warms up
 * together, then runs rounds: every variant once per round, in {@link AbbaOrder}, the variants
 * taking turns of {@code --slice} on the set's CPU ({@link Turns}; one worker's jobs run at a time,
 * 2 cores), so that what else the machine does in a round (a compiler, a GC, a test suite beside
 * it) hits every variant of the round alike and their paired ratio keeps only the I/O's own noise.
 * The figures are the medians of the paired ratios of ABBA blocks (two rounds)
 * with a {@link Bootstrap} interval over sets and blocks; sets of fresh workers are added until
 * every interval is narrower than {@code --precision} or {@code --max-time} runs out ({@link StopRule}).
 */
@Command(name = "jblk compare", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = Version.Provider.class,
        description = {"raw vs safe null_blk (ownership off / checked / debug): CPU time per I/O and IOPS as medians",
            "of paired rounds (the variants of a round take turns on one CPU) with bootstrap 95%% intervals,",
            "verdicts against the targets below, a PNG chart;",
            "JSON (every round, with its noise) with --output-format json."},
        footerHeading = "%n", footer = {CompareTargets.HELP_HEAD, CompareTargets.HELP_CHECKED,
            CompareTargets.HELP_INLINE, CompareTargets.HELP_RAW, CompareTargets.HELP_SCALING, CompareTargets.HELP_ALLOC,
            CompareTargets.HELP_NONE})
public final class CompareMain implements Callable<Integer> {
    @Option(names = "--runtime", description = "seconds measured per variant per round (default: ${DEFAULT-VALUE})")
    double runtime = 0.1;

    @Option(names = "--slice", description = "milliseconds of each turn the variants of a round take on the set's"
            + " CPU, round-robin (the round ramps for --ramp, then each variant gets --runtime of turns), so that"
            + " what else the machine does hits every variant of the round alike; at least 0.5, or 0: each"
            + " variant's run whole, one after another (default: ${DEFAULT-VALUE})")
    double sliceMs = 5;

    @Option(names = "--ramp", description = "seconds each run runs before it counts; in turns (--slice), seconds of"
            + " the round's turns before any counts (default: ${DEFAULT-VALUE})")
    double ramp = 0.02;

    @Option(names = "--rounds", description = "rounds per set of worker JVMs running every variant; a set of fewer"
            + " variants (past --min-sets, only those of gated pairs) measures " + GATED_SET_TIME + "x as long"
            + " (default: ${DEFAULT-VALUE})")
    int rounds = 8;

    @Option(names = "--min-sets", description = "sets of fresh worker JVMs at least, so the intervals cover"
            + " JVM-to-JVM differences (default: ${DEFAULT-VALUE})")
    int minSets = 2;

    @Option(names = "--precision", description = "stop once every interval of checked vs off (and of the"
            + " other strategies asked for) is narrower than +- this many percentage points"
            + " (default: ${DEFAULT-VALUE})")
    double precision = 0.5;

    @Option(names = "--max-time", description = "seconds the whole run may take before it stops short of the"
            + " precision; at least one set per workload always runs (default: ${DEFAULT-VALUE})")
    double maxTime = 230;

    @Option(names = "--warmup", description = "at least this many seconds each worker JVM warms up, in runs shaped like"
            + " the measured ones, until one compiles nothing (default: ${DEFAULT-VALUE})")
    double warmup = 0.3;

    @Option(names = "--workloads", description = "comma list, all, or auto (default: the 1-job workloads, and the"
            + " 2-job ones too where at least " + CompareWorkload.CPUS_FOR_2JOBS + " CPUs are allowed):"
            + " ${COMPLETION-CANDIDATES}", completionCandidates = WorkloadNames.class)
    String workloads = "auto";

    @Option(names = "--variants", description = "comma list of raw, off, checked (the generation strategy), debug,"
            + " refcount, hpref, owned (default: ${DEFAULT-VALUE}; docs/OWNERSHIP.md compares the strategies)")
    String variants = "raw,off,checked,debug";

    @Option(names = "--pin", description = "where each job runs: split (each job, with the softirq/timer thread of"
            + " its hardware queue, on one CPU of its own, the next CPU each set: the kernel completes a softirq"
            + " request on the CPU that raised it; fio's cpus_allowed_policy=split), none (where the scheduler puts"
            + " them), or auto (split where taskset works; default: ${DEFAULT-VALUE}). CPUs: those ./jblk may use"
            + " (taskset -c LIST ./jblk compare narrows them)")
    String pin = "auto";

    @Option(names = "--mb-size", description = "MiB of the memory-backed workloads' device (default: ${DEFAULT-VALUE})")
    int mbSizeMiB = 128;

    @Option(names = "--chart", description = "PNG chart file, or 'none' (default: ${DEFAULT-VALUE})")
    String chart = "compare.png";

    @Option(names = "--output-format", description = "normal or json (default: ${DEFAULT-VALUE})")
    String outputFormat = "normal";

    @Option(names = "--output", description = "write the report to this file instead of stdout")
    Path output;

    @Option(names = "--jvm-args", description = "extra JVM options for the worker JVMs; {variant} and {workload} are"
            + " replaced by the worker's (e.g. -XX:StartFlightRecording=filename=w-{workload}-{variant}.jfr)")
    String jvmArgs = "";

    /**
     * How many times as long a set of only the gated variants measures as one of every variant: its
     * JVMs' start, set-up and warm-up cost 6-7 s on a busy 2-core machine (`mvn -B verify` looping)
     * whatever it measures, which in a 12 s set was a third of its time. Not more: in turns the
     * rounds of a set agree closely, and what is left is how far one set's JVMs are from the next
     * set's (1-2 points busy), which only more sets average (32 rounds against 64: widths 1.4-2.4
     * against 1.7-2.7 busy, one run each).
     */
    static final int GATED_SET_TIME = 2;

    /**
     * How long before a round's first turn the coordinator sends its command: the workers make
     * their jobs and start them in that time (busy, a worker late for its first turns ramps less).
     */
    static final long TURNS_LEAD_NS = 15_000_000L;

    /** What {@link #runSets} takes off an inline workload's half-width, in points: after every other. */
    private static final double INLINE_LAST = 1e6;

    /** The worker JVMs' options for one compiled shape of the hot path ({@link StableJit}). */
    static final List<String> STABLE_JIT = StableJit.OPTIONS;

    private PrintStream out = System.out;
    /** --pin, resolved. */
    private CpuPlacement placement;
    private PrintStream err = System.err;

    /** The workload names, for --help. */
    static final class WorkloadNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        WorkloadNames() {
            super(CompareWorkload.all(256).keySet());
        }
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CompareMain m = new CompareMain();
        m.out = out;
        m.err = err;
        return Cli.execute(m, "jblk compare", args, out, err);
    }

    @Override
    public Integer call() throws Exception {
        Plan p = plan();
        boolean tty = Tty.isTerminal() && output == null && !p.json;
        Progress progress = new Progress(tty ? out : null, maxTime);
        if (tty) {
            out.printf(Locale.ROOT, "jblk compare: %d workloads x %d variants, rounds of %.2f s in turns of %.1f ms,"
                    + " until +-%.1f points or %.0f s%n", p.workloads.size(), p.variants.size(), runtime,
                    sliceNs() / 1e6, precision, maxTime);
        }
        placement = p.placement;
        Map<String, String> machine = MachineInfo.collect();
        List<String> workerArgs = workerJvmArgs();
        machine.put("worker_jvm_args", String.join(" ", workerArgs));
        CompareReport report = new CompareReport(p.workloads, p.variants, new CompareReport.Settings(runtime, ramp,
                sliceNs() / 1e6, rounds, minSets, precision, maxTime, p.placement), machine);
        int all = CompareWorkload.all(mbSizeMiB).size();
        if (p.workloads.size() < all && workloads.trim().equals("auto")) {
            report.workloadsNote = String.format(Locale.ROOT, "note: the 2-job workloads did not run: %d CPUs"
                    + " allowed, %d needed to pin two jobs beside the rest (--workloads all runs them anyway)",
                    p.cpus, CompareWorkload.CPUS_FOR_2JOBS);
        }
        runSets(report, workerArgs, progress);
        progress.clear();
        return emit(report, p);
    }

    /** The validated options. */
    private record Plan(List<CompareWorkload> workloads, List<Variant> variants, boolean json, Path chart,
                        CpuPlacement placement, int cpus) {
    }

    private Plan plan() throws IOException {
        if (!(runtime > 0) || runtime > 3600) {
            throw new IllegalArgumentException("--runtime=" + runtime + " is out of range: allowed (0, 3600] seconds");
        }
        if (!(sliceMs == 0 || (sliceMs >= 0.5 && sliceMs <= 1000))) {
            throw new IllegalArgumentException("--slice=" + sliceMs + " is out of range: allowed 0 (no turns)"
                    + " or 0.5 to 1000 milliseconds");
        }
        if (rounds < 2 || rounds > 1000 || rounds % 2 != 0) {
            throw new IllegalArgumentException("--rounds=" + rounds + " is out of range: allowed an even number"
                    + " 2..1000 (rounds pair up as A B, B A)");
        }
        if (minSets < 1 || minSets > 100) {
            throw new IllegalArgumentException("--min-sets=" + minSets + " is out of range: allowed 1..100");
        }
        if (!(precision > 0) || precision > 100) {
            throw new IllegalArgumentException("--precision=" + precision
                    + " is out of range: allowed (0, 100] points");
        }
        if (!(maxTime > 0) || maxTime > 86400) {
            throw new IllegalArgumentException("--max-time=" + maxTime
                    + " is out of range: allowed (0, 86400] seconds");
        }
        if (!(warmup >= 0) || warmup > 3600 || !(ramp >= 0) || ramp > 3600) {
            throw new IllegalArgumentException("--warmup and --ramp must be in [0, 3600] seconds");
        }
        if (mbSizeMiB < 1 || mbSizeMiB > 1 << 20) {
            throw new IllegalArgumentException("--mb-size=" + mbSizeMiB + " is out of range: allowed 1..1048576 MiB");
        }
        String fmt = outputFormat.trim().toLowerCase(Locale.ROOT);
        if (!fmt.equals("normal") && !fmt.equals("json")) {
            throw new IllegalArgumentException("--output-format=" + outputFormat + " is invalid: allowed normal, json");
        }
        CpuPlacement placement = CpuPlacement.resolve(pin);
        int cpus = placement.split() ? placement.cpus().size() : Runtime.getRuntime().availableProcessors();
        List<CompareWorkload> wls = CompareWorkload.select(workloads, mbSizeMiB, cpus);
        List<Variant> vs = new ArrayList<>();
        for (String v : variants.split(",")) {
            Variant x = Variant.parse(v);
            if (!vs.contains(x)) {
                vs.add(x);
            }
        }
        Path chartPath = chart.equalsIgnoreCase("none") ? null : Path.of(chart);
        if (chartPath != null) {
            ReportFile.prepare("--chart", chartPath);
        }
        if (output != null) {
            ReportFile.prepare("--output", output);
        }
        if (!jvmArgs.isBlank()) {
            JvmArgsCheck.check("--jvm-args", jvmArgs, workerJvmArgs());
        }
        return new Plan(wls, vs, fmt.equals("json"), chartPath, placement, cpus);
    }

    /**
     * Sets of fresh workers until {@link StopRule} ends each workload (its intervals are narrow
     * enough) or the whole run (no workload's next set fits in --max-time). Every workload gets
     * --min-sets first, round-robin; after that each set goes to the workload whose gated interval
     * of CPU per I/O is widest (IOPS, on a busy machine, is as wide as the CPU time the others
     * leave, which no set narrows), so the time goes where the answer is least sure (a quiet
     * workload that reached the precision costs nothing more). The inline workloads (irqmode=0)
     * come after the others: their checked-vs-off cost in ns is set by each set's compiled shape
     * (up to 10 ns apart from one set of JVMs to the next), which more sets average but a default
     * run never narrows to the precision, and the 2% target's workloads would get no sets past
     * their first ones; an inline workload stops early once its interval decides the one-atomic
     * target ({@link CompareReport#decided}).
     */
    private void runSets(CompareReport report, List<String> workerArgs, Progress progress) throws Exception {
        StopRule rule = new StopRule(precision, maxTime, minSets);
        long start = System.nanoTime();
        Set<CompareWorkload> open = new LinkedHashSet<>(report.workloads);
        Map<CompareWorkload, Double> setS = new LinkedHashMap<>();
        while (true) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            List<CompareWorkload> candidates = new ArrayList<>();
            // CPU bootstrapped once per workload: the ranking's width, and with IOPS's the stop rule's
            Map<CompareWorkload, Double> cpuWidest = new LinkedHashMap<>();
            for (Iterator<CompareWorkload> it = open.iterator(); it.hasNext(); ) {
                CompareWorkload w = it.next();
                double cpu = report.widestHalfPts(w, ComparePair.Metric.CPU);
                cpuWidest.put(w, cpu);
                double widest = Math.max(cpu, report.widestHalfPts(w, ComparePair.Metric.IOPS));
                StopRule.Outcome o = report.sets(w) >= minSets && report.decided(w) ? StopRule.Outcome.PRECISION
                        : rule.decide(report.sets(w), widest, elapsed, setS.getOrDefault(w, 0.0));
                if (o == StopRule.Outcome.PRECISION) {
                    it.remove();
                } else if (o == StopRule.Outcome.CONTINUE) {
                    candidates.add(w);
                }
            }
            CompareWorkload next = leastSure(candidates, report::sets, w -> allocationWidth(w, cpuWidest.get(w)),
                    minSets);
            if (next == null) {
                break; // every workload reached the precision, or no next set fits in --max-time
            }
            long t = System.nanoTime();
            runSet(report, next, report.sets(next), workerArgs, progress);
            setS.put(next, (System.nanoTime() - t) / 1e9);
        }
        report.outcome = open.isEmpty() ? StopRule.Outcome.PRECISION : StopRule.Outcome.MAX_TIME;
        report.elapsedS = (System.nanoTime() - start) / 1e9;
    }

    /** The half-width {@link #leastSure} ranks {@code w} by: the inline workloads' after every other's. */
    static double allocationWidth(CompareWorkload w, double widestHalfPts) {
        return widestHalfPts - (CompareVerdict.inline(w) ? INLINE_LAST : 0);
    }

    /**
     * The workload the next set goes to: one below {@code minSets} if any (fewest sets first, then
     * list order), else the one whose widest gated interval is widest (unknown counts as widest).
     */
    static <W> W leastSure(List<W> candidates, ToIntFunction<W> sets, ToDoubleFunction<W> widestHalfPts,
            int minSets) {
        W best = null;
        double bestKey = Double.NEGATIVE_INFINITY;
        for (W w : candidates) {
            int n = sets.applyAsInt(w);
            double key = n < minSets ? 1e12 - n : Math.min(widestHalfPts.applyAsDouble(w), 1e9);
            if (key > bestKey) {
                bestKey = key;
                best = w;
            }
        }
        return best;
    }

    /** One set of fresh workers on {@code w}: start, set up and warm up together, then the rounds. */
    private void runSet(CompareReport report, CompareWorkload w, int set, List<String> workerArgs, Progress progress)
            throws Exception {
        List<Variant> vs = set < minSets ? report.variants : report.gatedVariants();
        int n = roundsFor(vs.size(), report.variants.size());
        Map<Variant, WorkerJvm> workers = new LinkedHashMap<>();
        try {
            for (Variant v : vs) {
                workers.put(v, new WorkerJvm(v, w.name(), workerArgs, mbSizeMiB));
            }
            progress.show(w.name() + " set " + (set + 1) + ": setup+warmup");
            String cpus = placement.forSet(set, w.jobs());
            warmUp(w, set, cpus, workers);
            List<Long> pids = new ArrayList<>();
            pids.add(ProcessHandle.current().pid());
            for (WorkerJvm wk : workers.values()) {
                pids.add(wk.pid());
            }
            for (int i = 0; i < n; i++) {
                report.add(w, round(w, set, i, n, AbbaOrder.of(vs, i), cpus, workers, pids, progress));
            }
            for (Map.Entry<Variant, WorkerJvm> e : workers.entrySet()) {
                report.hotPathChecks.add(new CompareReport.HotPathCheck(w, e.getKey(), set,
                        recompiled(e.getValue().call("teardown"))));
            }
        } finally {
            for (WorkerJvm wk : workers.values()) {
                wk.close();
            }
        }
    }

    /** The methods of a worker's {@code ok recompiled=A,B} answer to teardown; null for "?" (or no answer). */
    static List<String> recompiled(String teardownReply) {
        int i = teardownReply.indexOf("recompiled=");
        String v = i < 0 ? "?" : teardownReply.substring(i + 11).trim();
        return v.equals("?") ? null : v.equals("-") ? List.of() : List.of(v.split(","));
    }

    /**
     * Rounds for a set of {@code setVariants} workers: {@code --rounds} when every variant runs; when
     * only the gated ones do, as many (an even number) as measure {@link #GATED_SET_TIME} times as
     * long, so the JVMs' start and warm-up are a smaller share of the sets that answer the question.
     */
    int roundsFor(int setVariants, int allVariants) {
        int times = setVariants < allVariants ? GATED_SET_TIME : 1;
        return 2 * Math.max(1, times * rounds * allVariants / setVariants / 2);
    }

    /**
     * Set-up and warm-up overlap across the set's workers: nothing is measured yet, and each JVM's
     * profile is its own. Pinned, each worker warms up on its own CPU (worker k on the set's k-th
     * next; they would queue behind each other on one), then all move to the set's {@code cpus}.
     */
    private void warmUp(CompareWorkload w, int set, String cpus, Map<Variant, WorkerJvm> workers) throws IOException {
        long rampNs = Math.round(ramp * 1e9);
        long runNs = Math.round(runtime * 1e9);
        long warmNs = Math.round(warmup * 1e9);
        int k = 0;
        for (WorkerJvm wk : workers.values()) {
            wk.awaitReady();
            wk.send("setup " + w.name() + " " + placement.forSet(set + k++, w.jobs()));
        }
        for (WorkerJvm wk : workers.values()) {
            wk.receive("setup " + w.name());
            if (warmNs > 0) {   // --warmup 0: no warmup at all, as asked
                // in turns with one idle other: the pause and resume branches get profiled too
                wk.send("warmup " + warmNs + " " + rampNs + " " + runNs
                        + (sliceNs() > 0 && workers.size() > 1 ? " " + sliceNs() + " 2" : ""));
            }
        }
        for (WorkerJvm wk : workers.values()) {
            if (warmNs > 0) {
                wk.receive("warmup");
            }
            if (placement.split()) {
                wk.call("pin " + cpus);
            }
        }
    }

    /** --slice in ns, at most --runtime (one measured turn per round then); 0: no turns. */
    private long sliceNs() {
        return Math.round(Math.min(sliceMs, runtime * 1000) * 1e6);
    }

    /**
     * Every variant once, in {@code order}, with the machine's noise around it: in turns of
     * --slice (turn k of each cycle is {@code order}'s k-th), or one after another.
     */
    private CompareRound round(CompareWorkload w, int set, int index, int of, List<Variant> order, String cpus,
                               Map<Variant, WorkerJvm> workers, List<Long> pids, Progress progress) throws IOException {
        String cmd = "run " + Math.round(ramp * 1e9) + " " + Math.round(runtime * 1e9);
        boolean turns = sliceNs() > 0 && order.size() > 1;
        ProcNoise.Sample before = ProcNoise.read(pids);
        if (turns) {
            // the workers read the command, make their jobs and start them paused before t0
            long t0 = System.nanoTime() + TURNS_LEAD_NS;
            for (int k = 0; k < order.size(); k++) {
                workers.get(order.get(k)).send("turns " + Math.round(ramp * 1e9) + " " + Math.round(runtime * 1e9)
                        + " " + t0 + " " + sliceNs() + " " + order.size() + " " + k);
            }
        }
        Map<Variant, CompareRound.Run> runs = new LinkedHashMap<>();
        for (Variant v : order) {
            WorkerJvm wk = workers.get(v);
            CompareRound.Run r = WorkerJvm.parseRun(turns ? wk.receive("turns") : wk.call(cmd));
            if (w.jobs() > 1 && r.hctx().chars().distinct().count() < r.hctx().length()) {
                err.println("jblk compare: warning: " + w.name() + " jobs share a hardware queue: hctx " + r.hctx());
            }
            runs.put(v, r);
            progress.done(String.format(Locale.ROOT, "%s set %d round %d/%d %s: %s IOPS", w.name(), set + 1,
                    index + 1, of, v.label(), Units.iops(r.iops())));
        }
        return new CompareRound(set, index, order, cpus, runs, ProcNoise.between(before, ProcNoise.read(pids)));
    }

    /** Writes the report (and the chart); 1 when the chart could not be written. */
    private int emit(CompareReport report, Plan p) throws IOException {
        String text = p.json ? report.json() : CompareText.of(report);
        int status = 0;
        if (p.chart != null) {
            try {
                CompareChart.write(report, p.chart);
                if (!p.json) {
                    text += "chart: " + p.chart.toAbsolutePath() + "\n";
                }
            } catch (IOException | RuntimeException e) {
                err.println("jblk compare: could not write the chart " + p.chart + ": " + e.getMessage());
                status = 1;
            }
        }
        if (output != null) {
            ReportFile.write("--output", output, text);
        } else {
            out.print(text);
            out.flush();
        }
        return status;
    }

    /** The coordinator's heap and direct-memory settings, the stable-JIT options, then the user's --jvm-args. */
    private List<String> workerJvmArgs() {
        List<String> a = new ArrayList<>();
        for (String s : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (s.startsWith("-Xmx") || s.startsWith("-Xms") || s.startsWith("-XX:MaxDirectMemorySize")) {
                a.add(s);
            }
        }
        a.addAll(STABLE_JIT);
        for (String s : jvmArgs.trim().split("\\s+")) {
            if (!s.isEmpty()) {
                a.add(s);
            }
        }
        return a;
    }
}
