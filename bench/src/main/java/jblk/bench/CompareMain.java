package jblk.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jblk compare}: the raw C-style null_blk against the safe one with ownership off, checked
 * and debug, on the null_blk workloads of the Rust null_blk work, with interleaved repetitions.
 *
 * <p>Each workload and variant runs in its own worker JVM ({@link CompareWorker}), like a JMH fork:
 * in one JVM the core's call sites would see every variant's and every workload's classes and
 * branches, turn polymorphic and bias the comparison. This coordinator runs one worker at a time (the
 * machine has 2 cores), in the order A B C D A B C D ..., so drift hits every variant alike.
 */
@Command(name = "jblk compare", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = Version.Provider.class,
        description = {"raw vs safe null_blk (ownership off / checked / debug): interleaved runs, IOPS,",
            "spread, overhead and a verdict per workload, a PNG chart; JSON with --output-format json."})
public final class CompareMain implements Callable<Integer> {
    @Option(names = "--runtime", description = "seconds measured per run (default: ${DEFAULT-VALUE})")
    double runtime = 0.3;

    @Option(names = "--repetitions", description = "runs per workload and variant, interleaved (default: ${DEFAULT-VALUE})")
    int repetitions = 3;

    @Option(names = "--warmup", description = "at least this many seconds each worker JVM warms up, in runs shaped like the measured ones, "
            + "until one compiles nothing (default: ${DEFAULT-VALUE})")
    double warmup = 0.3;

    @Option(names = "--ramp", description = "seconds each run runs before it counts (default: ${DEFAULT-VALUE})")
    double ramp = 0.05;

    @Option(names = "--workloads", description = "comma list (default: all): ${COMPLETION-CANDIDATES}",
            completionCandidates = WorkloadNames.class)
    String workloads = "all";

    @Option(names = "--variants", description = "comma list of raw, off, checked, debug (default: all four)")
    String variants = "raw,off,checked,debug";

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

    private PrintStream out = System.out;
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
        if (!(runtime > 0) || runtime > 3600) {
            throw new IllegalArgumentException("--runtime=" + runtime + " is out of range: allowed (0, 3600] seconds");
        }
        if (repetitions < 1 || repetitions > 1000) {
            throw new IllegalArgumentException("--repetitions=" + repetitions + " is out of range: allowed 1..1000");
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
        List<CompareWorkload> wls = CompareWorkload.select(workloads, mbSizeMiB);
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

        boolean tty = System.console() != null && output == null && fmt.equals("normal");
        Progress progress = new Progress(tty ? out : null, wls.size() * vs.size() * repetitions);
        long runNs = Math.round(runtime * 1e9);
        long rampNs = Math.round(ramp * 1e9);
        long warmNs = Math.round(warmup * 1e9);
        // per workload: four JVMs start and warm up together (at least two runs of the measured
        // shape each, on two cores), then the runs one at a time
        double estimate = wls.size() * (vs.size() / 2.0 * (0.5 + Math.max(warmup, 2 * (runtime + ramp + 0.1)))
                + vs.size() * repetitions * (runtime + ramp + 0.02)) + 2;
        if (tty) {
            out.printf(Locale.ROOT, "jblk compare: %d workloads x %d variants x %d runs of %.2f s, about %.0f s%n",
                    wls.size(), vs.size(), repetitions, runtime, estimate);
        }
        Map<String, String> machine = MachineInfo.collect();
        List<String> workerArgs = workerJvmArgs();
        machine.put("worker_jvm_args", String.join(" ", workerArgs));
        CompareReport report = new CompareReport(wls, vs, runtime, repetitions, machine);
        for (CompareWorkload w : wls) {
            runWorkload(w, vs, workerArgs, report, progress, rampNs, runNs, warmNs);
        }
        progress.clear();

        String text;
        if (fmt.equals("json")) {
            text = report.json();
        } else {
            StringBuilder sb = new StringBuilder();
            sb.append("jblk compare: raw vs safe null_blk; ").append(machine.get("cpu")).append(", ")
                    .append(machine.get("cores")).append(" cores, Java ").append(machine.get("java_version"))
                    .append(", load ").append(machine.get("loadavg_at_start")).append(" at start\n");
            sb.append(String.format(Locale.ROOT,
                    "runs: %d x %.2f s per workload and variant (after %.2f s ramp each), interleaved %s; "
                            + "warmup >= %.2f s per worker, until the JIT is quiet; a fresh JVM per workload and variant%n",
                    repetitions, runtime, ramp, labels(vs), warmup));
            sb.append("null_blk: ").append(CompareWorkload.COMMON)
                    .append(" for every workload (no I/O accounting, no poll queues); 4 KiB I/O; "
                            + "p99 clat from 1 in ")
                    .append(1 << CompareWorker.SAMPLE_SHIFT).append(" I/Os timed (submitBio to callback)\n");
            sb.append("variants: ");
            for (int i = 0; i < vs.size(); i++) {
                sb.append(i > 0 ? "; " : "").append(vs.get(i).label()).append(" = ").append(vs.get(i).describe());
            }
            sb.append("\nworkloads:\n");
            for (CompareWorkload w : wls) {
                sb.append(String.format(Locale.ROOT, "  %-20s %d job%s: %s [%s]%n", w.name(), w.jobs(),
                        w.jobs() > 1 ? "s" : " ", w.summary(), w.nullb()));
            }
            sb.append('\n').append(report.table()).append('\n');
            sb.append("overhead = IOPS lost, (1 - median(a) / median(b)) x 100; verdicts against issue 5's targets:\n");
            for (String v : report.verdicts()) {
                sb.append("  ").append(v).append('\n');
            }
            text = sb.toString();
        }
        String chartNote = "";
        int status = 0;
        if (chartPath != null) {
            try {
                CompareChart.write(report, chartPath);
                chartNote = "chart: " + chartPath.toAbsolutePath() + "\n";
            } catch (IOException | RuntimeException e) {
                err.println("jblk compare: could not write the chart " + chartPath + ": " + e.getMessage());
                status = 1;
            }
        }
        if (fmt.equals("normal")) {
            text += chartNote;
        }
        if (output != null) {
            ReportFile.write("--output", output, text);
        } else {
            out.print(text);
            out.flush();
        }
        return status;
    }

    /**
     * One workload: a fresh worker JVM per variant, as JMH forks per parameter set. A worker that
     * had run other workloads first would carry their type profiles and compiled code (call sites
     * turned polymorphic, inlining decided for another driver configuration), which measured as
     * checked losing escape analysis of its handle (32-64 B/IO) only in the second and later
     * workloads of a shared worker.
     */
    private void runWorkload(CompareWorkload w, List<Variant> vs, List<String> workerArgs, CompareReport report,
            Progress progress, long rampNs, long runNs, long warmNs) throws Exception {
        Map<Variant, Worker> workers = new HashMap<>();
        try {
            for (Variant v : vs) {
                workers.put(v, new Worker(v, w.name(), workerArgs, mbSizeMiB));
            }
            // Set-up and warm-up of the four workers overlap (nothing is measured yet, and each
            // JVM's profile is its own); only the measured runs go one at a time.
            progress.show(w.name() + " setup+warmup");
            for (Variant v : vs) {
                workers.get(v).awaitReady();
                workers.get(v).send("setup " + w.name());
            }
            for (Variant v : vs) {
                workers.get(v).receive("setup " + w.name());
                if (warmNs > 0) {   // --warmup 0: no warmup at all, as asked
                    workers.get(v).send("warmup " + warmNs + " " + rampNs + " " + runNs);
                }
            }
            for (Variant v : vs) {
                if (warmNs > 0) {
                    workers.get(v).receive("warmup");
                }
            }
            for (int rep = 0; rep < repetitions; rep++) {
                for (Variant v : vs) {
                    String label = String.format(Locale.ROOT, "%s rep %d/%d %s", w.name(), rep + 1, repetitions,
                            v.label());
                    progress.show(label);
                    CompareReport.Run r = parseRun(workers.get(v).call("run " + rampNs + " " + runNs));
                    if (w.jobs() > 1 && r.hctx().chars().distinct().count() < r.hctx().length()) {
                        err.println("jblk compare: warning: " + w.name() + " jobs share a hardware queue: hctx "
                                + r.hctx());
                    }
                    report.add(w, v, r);
                    progress.done(label + ": " + Units.iops(r.iops()) + " IOPS");
                }
            }
            for (Variant v : vs) {
                workers.get(v).call("teardown");
            }
        } finally {
            for (Worker wk : workers.values()) {
                wk.close();
            }
        }
    }

    private static String labels(List<Variant> vs) {
        StringBuilder sb = new StringBuilder();
        for (Variant v : vs) {
            sb.append(sb.length() > 0 ? " " : "").append(v.label());
        }
        return sb.toString();
    }

    /** The coordinator's heap and direct-memory settings, then the user's --jvm-args. */
    private List<String> workerJvmArgs() {
        List<String> a = new ArrayList<>();
        for (String s : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (s.startsWith("-Xmx") || s.startsWith("-Xms") || s.startsWith("-XX:MaxDirectMemorySize")) {
                a.add(s);
            }
        }
        for (String s : jvmArgs.trim().split("\\s+")) {
            if (!s.isEmpty()) {
                a.add(s);
            }
        }
        return a;
    }

    static CompareReport.Run parseRun(String line) {
        if (!line.startsWith("result ")) {
            throw new IllegalStateException("worker answered: " + line);
        }
        Map<String, String> kv = new HashMap<>();
        for (String f : line.substring(7).trim().split("\\s+")) {
            int eq = f.indexOf('=');
            kv.put(f.substring(0, eq), f.substring(eq + 1));
        }
        return new CompareReport.Run(Double.parseDouble(kv.get("iops")), Long.parseLong(kv.get("ios")),
                Long.parseLong(kv.get("p99")), Long.parseLong(kv.get("alloc")), kv.get("hctx"));
    }

    /** A worker JVM serving one variant. */
    private static final class Worker implements AutoCloseable {
        private final Variant variant;
        private final Process process;
        private final BufferedReader in;
        private final PrintWriter cmd;

        Worker(Variant v, String workload, List<String> jvmArgs, int mbSizeMiB) throws IOException {
            this.variant = v;
            List<String> c = new ArrayList<>();
            c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String a : jvmArgs) {
                // e.g. one JFR file per worker
                c.add(a.replace("{variant}", v.label()).replace("{workload}", workload));
            }
            c.add("-cp");
            c.add(System.getProperty("jblk.worker.classpath", System.getProperty("java.class.path")));
            c.add(CompareWorker.class.getName());
            c.add(v.label());
            c.add(Integer.toString(mbSizeMiB));
            ProcessBuilder pb = new ProcessBuilder(c);
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            this.process = pb.start();
            this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.cmd = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        void awaitReady() throws IOException {
            String l = in.readLine();
            if (l == null || !l.startsWith("ready ")) {
                throw new IllegalStateException("the " + variant.label() + " worker JVM did not start: " + l);
            }
        }

        String call(String command) throws IOException {
            send(command);
            return receive(command);
        }

        void send(String command) {
            cmd.println(command);
        }

        String receive(String command) throws IOException {
            String l = in.readLine();
            if (l == null) {
                throw new IllegalStateException("the " + variant.label() + " worker JVM died during '" + command + "'");
            }
            if (l.startsWith("error ")) {
                throw new IllegalStateException("the " + variant.label() + " worker failed '" + command + "': "
                        + l.substring(6));
            }
            return l;
        }

        @Override
        public void close() {
            cmd.println("exit");
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
