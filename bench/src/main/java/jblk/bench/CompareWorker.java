package jblk.bench;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicBoolean;
import jblk.blockcore.GenDisk;
import jblk.blockcore.HctxType;
import jblk.blockcore.SwQueue;
import jblk.nullblk.NullBlkModule;
import org.HdrHistogram.Histogram;

/**
 * One variant's JVM in {@code ./jblk compare} (as a JMH fork): it serves one variant only, so the
 * core's call sites see one driver and one completion class and keep the type profiles a real
 * deployment would have. The coordinator drives it over stdin/stdout, one line per command:
 *
 * <pre>
 * setup WORKLOAD CPUS     -> ok PINNED     (device created, preconditioned; CPUS: one CPU per job, comma
 *                                          separated, or - for none; PINNED: what went where, or -)
 * pin CPUS                -> ok PINNED     (moves the jobs and their completion threads to CPUS)
 * warmup NS RAMP RUN [SLICE SLOTS] -> ok runs=.. quiet=.. uptime_ms=..  (runs the workload, not measured, until the
 *                                          JIT is quiet; uptime_ms: the JVM's age then, as the JIT's logs stamp)
 * run RAMP_NS NS          -> result ios=.. ns=.. iops=.. cpu=.. p99=.. alloc=.. allocjobs=.. jitms=.. hctx=..
 *                                          switches=..
 * turns RAMP_NS NS T0 SLICE SLOTS SLOT -> result ...  (the same run, in turns with other workers: {@link Turns})
 * teardown                -> ok recompiled=..  (the hot path's methods whose C2 code changed since the warm-up,
 *                                          or the pin after it, comma separated; - for none, ? if unknown)
 * exit
 * </pre>
 * Any failure answers {@code error MESSAGE}. Everything else the JVM prints goes to stderr.
 * {@code cpu} is the CPU time of the device's and the jobs' threads in the window (ns), {@code ios}
 * the I/Os completed in the same window (both read together at each end), {@code switches}
 * how often they were switched onto a CPU in it ({@link ContextSwitches}, -1 where unknown), {@code
 * jitms} the JIT's compile time that ended inside the measured window: above 0 after warm-up, the hot path was still
 * being compiled (or recompiled) while it was measured.
 */
public final class CompareWorker {
    /** One latency sample in 2^6 = 64 I/Os: two System.nanoTime calls (~21 ns each) per sample. */
    static final int SAMPLE_SHIFT = 6;

    private final Variant variant;
    private final int mbSizeMiB;
    private CompareWorkload workload;
    private NullBlkModule module;
    /** The hot path's C2 code when the warm-up (or the pin after it) ended; null before, or unknown. */
    private SortedMap<Long, String> warmCode;
    private final List<SwQueue> queues = new ArrayList<>();
    /** One per job when pinned: starts the job's submitter on the job's CPU. */
    private final List<PinnedStarter> starters = new ArrayList<>();
    private long seed = 1;

    private CompareWorker(Variant variant, int mbSizeMiB) {
        this.variant = variant;
        this.mbSizeMiB = mbSizeMiB;
    }

    public static void main(String[] args) throws Exception {
        PrintStream proto = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // the protocol owns stdout
        CompareWorker w = new CompareWorker(Variant.parse(args[0]), Integer.parseInt(args[1]));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        proto.println("ready " + ProcessHandle.current().pid() + " " + w.variant.label());
        String line;
        while ((line = in.readLine()) != null) {
            String[] a = line.trim().split("\\s+");
            if (a[0].equals("exit")) {
                break;
            }
            try {
                proto.println(w.handle(a));
            } catch (Throwable t) {
                proto.println("error " + String.valueOf(t).replace('\n', ' '));
            }
        }
        w.teardown();
        System.exit(0);
    }

    private String handle(String[] a) throws InterruptedException, IOException {
        switch (a[0]) {
            case "setup":
                setup(a[1]);
                return "ok " + pin(a.length > 2 ? a[2] : "-");
            case "warmup":
                return warmup(Long.parseLong(a[1]), Long.parseLong(a[2]), Long.parseLong(a[3]),
                        a.length > 5 ? Long.parseLong(a[4]) : 0, a.length > 5 ? Integer.parseInt(a[5]) : 1);
            case "run": {
                String r = result(runJobs(Long.parseLong(a[1]), Long.parseLong(a[2])));
                // what this reply and the run's bookkeeping made the JIT compile is done before
                // the next run: a compile inside a measured window is then the hot path's
                awaitQuietJit();
                return r;
            }
            case "turns": {
                Turns t = Turns.of(Long.parseLong(a[3]), Long.parseLong(a[4]), Integer.parseInt(a[5]),
                        Integer.parseInt(a[6]), Long.parseLong(a[1]), Long.parseLong(a[2]));
                WorkloadRunner.RunResult run = runTurns(t);
                // busy, a third of the turns start a few ms late (the runner waits for a CPU), which
                // only shortens them; a round that lost more than half of its turns' time is worth a word
                if (run.windowNs * 2 < t.cycles() * t.sliceNs()) {
                    System.err.printf(Locale.ROOT, "jblk compare: warning: the %s worker ran %.0f of its %.0f ms of"
                            + " turns (%d of %d started more than half a slice late: the machine did not run it in"
                            + " time)%n", variant.label(), run.windowNs / 1e6, t.cycles() * t.sliceNs() / 1e6,
                            run.lateTurns, t.cycles());
                }
                String r = result(run);
                awaitQuietJit();
                return r;
            }
            case "pin": {
                String r = "ok " + move(a[1]);
                awaitQuietJit(); // what pinning ran (a thread dump, taskset) is compiled before a measured run
                warmCode = JitQueue.c2Code(HotPath::contains);
                return r;
            }
            case "teardown": {
                String r = "ok recompiled=" + recompiled();
                teardown();
                return r;
            }
            default:
                throw new IllegalArgumentException("unknown command " + a[0]);
        }
    }

    /**
     * The hot path's methods whose C2 code is not what it was when the warm-up (or the pin after it)
     * ended, comma separated; "-" for none, "?" when this JVM cannot say or did not warm up.
     */
    private String recompiled() {
        SortedMap<Long, String> now = warmCode == null ? null : JitQueue.c2Code(HotPath::contains);
        if (now == null) {
            return "?";
        }
        List<String> changed = JitQueue.changed(warmCode, now);
        return changed.isEmpty() ? "-" : String.join(",", changed);
    }

    /** The protocol's answer to {@code run}. */
    private static String result(WorkloadRunner.RunResult r) {
        Histogram h = IoJob.newHistogram();
        StringBuilder hctx = new StringBuilder();
        for (WorkloadRunner.JobResult jr : r.jobs) {
            h.add(jr.job.latency[0]);
            h.add(jr.job.latency[1]);
            hctx.append(hctx.length() > 0 ? "," : "").append(jr.job.hctxIndex());
            if (jr.job.error() != 0) {
                throw new IllegalStateException("I/O error " + FioReport.errnoName(jr.job.error()) + ": "
                        + jr.job.errorDetail());
            }
        }
        return String.format(Locale.ROOT,
                "result ios=%d ns=%d iops=%.1f cpu=%d p99=%d alloc=%d allocjobs=%d jitms=%d hctx=%s switches=%d",
                r.windowIos, r.windowNs, r.windowNs == 0 ? 0 : r.windowIos * 1e9 / r.windowNs,
                r.cpuNsAll, h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99),
                r.allocBytesAll, r.allocBytesJobs, r.jitMs, hctx, r.switchesAll);
    }

    private void setup(String name) throws InterruptedException {
        teardown();
        warmCode = null;
        workload = CompareWorkload.all(mbSizeMiB).get(name);
        if (workload == null) {
            throw new IllegalArgumentException("unknown workload " + name);
        }
        module = NullBlkModule.load(workload.params(), variant.driver, variant.ownership);
        GenDisk disk = module.device(0).disk();
        if (workload.precondition()) {
            long cap = disk.capacity() << 9;
            try (SwQueue q = disk.openQueue()) {
                JobSpec fill = new JobSpec("precondition", RwMode.WRITE, 0, 64 * 1024, 16, 0, cap, cap, 30,
                        VerifyMode.NONE, false, 7);
                WorkloadRunner.RunResult r = WorkloadRunner.run(List.of(new IoJob(fill, q, 0)), 0, 0,
                        WorkloadRunner.DEFAULT_SAMPLE_NS);
                if (r.jobs.get(0).job.error() != 0) {
                    throw new IllegalStateException("preconditioning failed: " + r.jobs.get(0).job.errorDetail());
                }
            }
        }
        for (int j = 0; j < workload.jobs(); j++) {
            queues.add(disk.openQueue());
        }
    }

    /**
     * Pins job j's submitter (started by a {@link PinnedStarter}) and the completion threads of its
     * hardware queue (softirq, timer) to {@code cpus}' j-th CPU, as the kernel runs a softirq
     * completion on the CPU that raised it; on two shared cores, unpinned, how many completions a
     * wake-up found, and so the CPU per I/O, varied 2-3x from run to run with where the scheduler
     * put the two threads. Returns what went where ("job0@1,softirq0@1"), or "-".
     */
    private String pin(String cpus) throws IOException {
        if (cpus.equals("-")) {
            return "-";
        }
        String[] cs = cpus.split(",");
        if (cs.length != workload.jobs()) {
            throw new IllegalArgumentException("setup: " + cs.length + " CPUs for " + workload.jobs() + " jobs");
        }
        for (String c : cs) {
            starters.add(new PinnedStarter(Integer.parseInt(c)));
        }
        return pinDeviceThreads();
    }

    /** Moves job j and its completion threads to {@code cpus}' j-th CPU (after a warm-up elsewhere). */
    private String move(String cpus) throws IOException {
        String[] cs = cpus.split(",");
        if (cs.length != starters.size()) {
            throw new IllegalArgumentException("pin: " + cs.length + " CPUs for " + starters.size() + " pinned jobs");
        }
        for (int j = 0; j < cs.length; j++) {
            starters.get(j).moveTo(Integer.parseInt(cs[j]));
        }
        return pinDeviceThreads();
    }

    /**
     * Pins the completion threads of each job's hardware queue to the job's CPU; again after the
     * warm-up, since a context starts with its first completion (and then inherits the affinity of
     * the submitter that raised it, which is the job's CPU already).
     */
    private String pinDeviceThreads() throws IOException {
        if (starters.isEmpty()) {
            return "-";
        }
        GenDisk disk = module.device(0).disk();
        Map<String, Long> tids = CpuAffinity.threadIds();
        StringBuilder pinned = new StringBuilder();
        for (int j = 0; j < starters.size(); j++) {
            int cpu = starters.get(j).cpu();
            pinned.append(j == 0 ? "" : ",").append("job").append(j).append('@').append(cpu);
            int h = queues.get(j).hctx(HctxType.DEFAULT).queueNum();
            for (String kind : new String[] {"softirq", "timer"}) {
                Long tid = tids.get("jblk-" + disk.name() + "-" + kind + "-" + h);
                if (tid != null) {
                    CpuAffinity.pin(tid, cpu);
                    pinned.append(',').append(kind).append(h).append('@').append(cpu);
                }
            }
        }
        return pinned.toString();
    }

    private WorkloadRunner.RunResult runJobs(long rampNs, long ns) throws InterruptedException {
        return WorkloadRunner.run(newJobs(), rampNs, ns, WorkloadRunner.DEFAULT_SAMPLE_NS);
    }

    private WorkloadRunner.RunResult runTurns(Turns t) throws InterruptedException {
        return WorkloadRunner.runTurns(newJobs(), t);
    }

    private List<IoJob> newJobs() {
        if (workload == null) {
            throw new IllegalStateException("no workload set up");
        }
        long cap = module.device(0).disk().capacity() << 9;
        List<IoJob> jobs = new ArrayList<>();
        for (int j = 0; j < workload.jobs(); j++) {
            JobSpec s = new JobSpec(workload.name(), workload.rw(), 50, CompareWorkload.BS, workload.iodepth(), 0, cap,
                    0, SAMPLE_SHIFT, VerifyMode.NONE, false, seed++);
            IoJob job = new IoJob(s, queues.get(j), j);
            if (!starters.isEmpty()) {
                job.startWith(starters.get(j)::start);
            }
            jobs.add(job);
        }
        return jobs;
    }

    /**
     * Warms up with runs of exactly the measured shape (ramp, then the counted window) until at
     * least {@code minNs} have passed and two runs in a row compiled nothing, at most 10 runs past
     * that. One quiet run was not enough on a busy machine: the compiler threads got no CPU during
     * a 0.1 s run, the run looked quiet, and the first measured run still ran C1 code in which the
     * checked handle is not scalar-replaced (mb-randwrite: 170-390 KB in the first round of a set,
     * 112 B per run after it, which showed as ~2 B/IO over all rounds).
     * A shorter or differently shaped warmup left branches the runs take (the ramp ending, the
     * latency sample) unprofiled: C2 then deoptimised during the measured runs and they ran in C1
     * code, where the checked handle is not scalar-replaced (measured: 4-20 M IOPS and 8-16 B/IO
     * at irqmode=0 where a settled JIT gives 20 M and 0 B).
     */
    private String warmup(long minNs, long rampNs, long runNs, long sliceNs, int slots) throws InterruptedException {
        long start = System.nanoTime();
        int runs = 0;
        int extra = 0;
        int quietRuns = 0;
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = startInflightReader(stop);
        try {
            while (true) {
                long ns = Math.max(runNs, 1_000_000L);
                // in turns, as measured, the others' turns idle: the pause and resume branches get profiled
                long jitMs = slots > 1 ? runTurns(Turns.of(System.nanoTime() + 1_000_000L, sliceNs, slots, 0, rampNs,
                        ns)).jitMs : runJobs(rampNs, ns).jitMs;
                runs++;
                awaitQuietJit();
                quietRuns = jitMs <= 0 ? quietRuns + 1 : 0;
                boolean quiet = quietRuns >= 2;
                if (System.nanoTime() - start >= minNs && (quiet || ++extra >= 10)) {
                    warmCode = JitQueue.c2Code(HotPath::contains);
                    return "ok runs=" + runs + " quiet=" + quiet + " uptime_ms="
                            + ManagementFactory.getRuntimeMXBean().getUptime();
                }
            }
        } finally {
            stop.set(true);
            reader.join();
        }
    }

    /**
     * Reads /sys/block/&lt;dev&gt;/inflight in a loop while the warm-up runs, as iostat would: the
     * block layer's tag iterators take {@code rq->ref} on busy requests (the timeout scan does too,
     * every few seconds), so now and then an end's put is not the last one and the iterator's put
     * frees the tag, on its own thread. Without this the warm-up never took those branches, C2
     * compiled them as traps, and the first iterator after warm-up deoptimised the submit path
     * (Request::refPutAndTest, BlkMq::freeRequestTag, SBitmapQueue::clear made not entrant:
     * HotPathShapeTest). Not running while measured: the rounds see only the kernel's own iterators.
     */
    private Thread startInflightReader(AtomicBoolean stop) {
        GenDisk disk = module.device(0).disk();
        Thread t = new Thread(() -> {
            while (!stop.get()) {
                disk.inflight();
                Thread.yield(); // often: an iterator must hold a request while it ends, many times
            }
        }, "warmup-inflight-reader");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** {@link JitQueue#awaitQuiet}, at most 2 s: on a busy machine the JIT may never be quiet. */
    private static void awaitQuietJit() throws InterruptedException {
        JitQueue.awaitQuiet(2000);
    }

    private void teardown() {
        for (PinnedStarter p : starters) {
            p.close();
        }
        starters.clear();
        for (SwQueue q : queues) {
            q.close();
        }
        queues.clear();
        if (module != null) {
            module.close();
            module = null;
        }
        workload = null;
    }
}
