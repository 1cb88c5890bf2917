package jblk.stress;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.CloseReport;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ReqOp;
import jblk.nullblk.DriverKind;
import jblk.nullblk.NullbDevice;
import jblk.nullblk.NullbParams;
import jblk.safety.EndOutcome;
import jblk.safety.Ownership;
import jblk.safety.Violation;
import jblk.safety.Violations;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jblk torture}: random I/O from several submitters on two memory-backed null_blk devices
 * (the safe driver, wrapped in a buggy driver, and the raw driver), with every fault switched on,
 * then checks that every bio completed exactly once, that every read returned the last
 * acknowledged write, that no tag was held at close, and that each injected ownership violation
 * was refused and counted exactly. Prints a summary and {@code N passed, N failed}; exits 1 on any
 * failure.
 *
 * <p>A seed fixes each device's configuration (irqmode, cache, bandwidth cap, bad blocks), the
 * fault injectors' and the buggy driver's random streams, and each submitter's sequence of
 * operations; which request meets which fault still depends on thread scheduling.
 */
@Command(name = "torture", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Faults + data verification on memory-backed null_blk devices (safe and raw driver).",
                "With --driver-class CLASS [--classpath JARS]: your driver through the test kit instead"
                        + " (--driver-class CLASS --help lists its options)."})
public final class TortureMain implements Callable<Integer> {
    static final int SECTORS = 16384; // size=8 (MiB)
    static final Duration DEVICE_TIMEOUT = Duration.ofMillis(200);

    @Option(names = "--runtime", defaultValue = "60", paramLabel = "S",
            description = "Seconds of I/O (1..86400, default ${DEFAULT-VALUE}).")
    int runtime;

    @Option(names = "--seed", paramLabel = "N", description = "Seed; random (and printed) when not given.")
    Long seed;

    @Option(names = "--ownership", defaultValue = "generation", paramLabel = "M",
            description = "Ownership strategy of the safe driver: refcount, generation (checked), hpref, owned or"
                    + " debug (default ${DEFAULT-VALUE}).")
    String ownership;

    @Option(names = "--submitters", defaultValue = "3", paramLabel = "N",
            description = "Submitter threads per device (1..16, default ${DEFAULT-VALUE}).")
    int submitters;

    @Option(names = "--ioscheduler", paramLabel = "NAME",
            description = "I/O scheduler of the devices: none or mq-deadline (default: the kernel's choice).")
    String ioscheduler;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs with {@code args}; returns the exit status (0 all checks passed, 1 a check failed, 2 usage). */
    public static int run(String[] args, PrintStream out) {
        if (java.util.Arrays.asList(args).contains("--driver-class")) {
            return jblk.testkit.KitMain.run(args, out); // a driver from outside jblk: the test kit runs it
        }
        TortureMain t = new TortureMain();
        t.out = out;
        CommandLine cl = new CommandLine(t);
        cl.setOut(new java.io.PrintWriter(out, true, java.nio.charset.StandardCharsets.UTF_8));
        cl.setErr(new java.io.PrintWriter(out, true, java.nio.charset.StandardCharsets.UTF_8));
        cl.setParameterExceptionHandler((e, a) -> { // one line, no usage dump (--help shows it)
            e.getCommandLine().getErr().println("jblk torture: " + e.getMessage() + " (see --help)");
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        if (runtime < 1 || runtime > 86400) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--runtime " + runtime + " is out of range: allowed 1..86400 seconds");
        }
        if (submitters < 1 || submitters > 16) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--submitters " + submitters + " is out of range: allowed 1..16");
        }
        Ownership mode;
        try {
            mode = Ownership.parse(ownership);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (mode == Ownership.OFF) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--ownership off is not allowed:"
                    + " the buggy driver's violations are undefined without the token; allowed refcount,"
                    + " generation (checked), hpref, owned, debug");
        }
        if (ioscheduler != null) {
            try {
                ioscheduler = jblk.blockcore.ElevatorType.byName(ioscheduler).kernelName();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--ioscheduler " + e.getMessage());
            }
        }
        long s = seed != null ? seed : new SecureRandom().nextLong();
        return new Run(s, mode).execute();
    }

    /** One torture run. */
    private final class Run {
        final long seed;
        final Ownership mode;
        final SplittableRandom cfg;
        final List<DeviceRun> devices = new ArrayList<>();
        final Checks checks;
        LogCapture logs;

        Run(long seed, Ownership mode) {
            this.seed = seed;
            this.mode = mode;
            this.cfg = new SplittableRandom(seed);
            this.checks = new Checks(out);
        }

        /** The seed and the command that replays this run: printed first, and last, under the verdict. */
        String rerun() {
            return "seed " + seed + "; rerun: ./jblk torture --seed " + seed + " --runtime " + runtime + " --ownership "
                    + mode + " --submitters " + submitters
                    + (ioscheduler == null ? "" : " --ioscheduler " + ioscheduler);
        }

        int execute() {
            out.printf("jblk torture: seed %d, runtime %d s, ownership %s, %d submitters per device%n", seed, runtime,
                    mode, submitters);
            out.println("  " + rerun());
            logs = LogCapture.install();
            try {
                devices.add(device(1, "safe", DriverKind.SAFE));
                devices.add(device(2, "raw", DriverKind.RAW));
                long deadline = System.nanoTime() + runtime * 1_000_000_000L;
                List<Submitter> subs = new ArrayList<>();
                List<Chaos> chaos = new ArrayList<>();
                for (DeviceRun d : devices) {
                    for (int i = 0; i < submitters; i++) {
                        subs.add(new Submitter(d, i, cfg.nextLong(), deadline));
                    }
                    chaos.add(new Chaos(d, cfg.nextLong(), deadline));
                }
                subs.forEach(Submitter::start);
                chaos.forEach(Chaos::start);
                for (Chaos c : chaos) {
                    join(c.thread, runtime + 120);
                }
                for (Submitter sb : subs) {
                    join(sb.thread, runtime + 120);
                }
                for (DeviceRun d : devices) {
                    settle(d);
                }
                for (DeviceRun d : devices) {
                    report(d, subs, chaos);
                }
                checks.check(logs.errors.sum() == 0, "no error logged by jblk (" + logs.errors.sum() + ")"
                        + (logs.errors.sum() > 0 ? " " + logs.samples() : ""));
            } finally {
                logs.uninstall();
            }
            return checks.finish(rerun());
        }

        private void join(Thread t, long seconds) {
            try {
                t.join(seconds * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private DeviceRun device(int id, String label, DriverKind kind) {
            int irqmode = cfg.nextInt(3);
            boolean cache = cfg.nextBoolean();
            boolean partial = cfg.nextBoolean();
            int mbps = 20 + cfg.nextInt(100); // low enough that the cap bites at this load
            List<long[]> bad = new ArrayList<>();
            StringBuilder bb = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                long start = cfg.nextInt(SECTORS - 64);
                long end = start + 7 + cfg.nextInt(25);
                bad.add(new long[] {start, end});
                bb.append(bb.length() == 0 ? "" : ",").append('+').append(start).append('-').append(end);
            }
            String params = "memory_backed=1 size=" + (SECTORS / 2048) + " submit_queues=2 poll_queues=0"
                    + " hw_queue_depth=16 irqmode=" + irqmode + " completion_nsec=20000 discard=1"
                    + (cache ? " cache_size=1" : "") + " mbps=" + mbps + " timeout=1,2,0,-1 requeue=1,5,0,-1"
                    + (partial ? " badblocks_partial_io=1" : "") + " badblocks=" + bb;
            // 4 modelled CPUs: the chaos thread moves submit_queues over 1..4, which null_blk
            // refuses above nr_cpu_ids while powered (this machine may have 2).
            NullbDevice dev = new NullbDevice("torture-" + label, NullbParams.parse(params), kind, mode)
                    .seed(cfg.nextLong()).timeout(DEVICE_TIMEOUT).nrCpuIds(4);
            MisbehavingOps[] wrapper = new MisbehavingOps[1];
            long wrapperSeed = cfg.nextLong();
            if (kind == DriverKind.SAFE) {
                dev.wrapSafe(ops -> wrapper[0] = new MisbehavingOps(ops, irqmode, wrapperSeed, label, mode));
            }
            dev.power(true);
            if (ioscheduler != null) {
                dev.disk().setScheduler(ioscheduler);
            }
            out.printf("  device %s: %s driver%s, %s, scheduler %s%n", label, kind,
                    kind == DriverKind.SAFE ? " (wrapped in a buggy driver), ownership " + mode : "", params,
                    dev.disk().scheduler().kernelName());
            return new DeviceRun(id, label, dev, new DataModel(SECTORS, bad), wrapper[0], irqmode);
        }

        /** Waits for leaked requests and stragglers, then closes the device. */
        private void settle(DeviceRun d) {
            long until = System.nanoTime() + 30_000_000_000L;
            while ((!d.outstanding.isEmpty() || (d.wrapper != null && d.wrapper.leakedOutstanding() > 0))
                    && System.nanoTime() - until < 0) {
                LockSupport.parkNanos(10_000_000L);
            }
        }

        /** What a device left behind at close: the disk's violation counts, the engine's faults, the leak report. */
        @SuppressWarnings("ArrayRecordComponent") // a private holder, never compared or hashed
        private record Closed(Map<Violation, Long> counted, long[] faults, CloseReport close, String diskName) {
        }

        /** Closes the device, prints what it did, and checks it. */
        private void report(DeviceRun d, List<Submitter> subs, List<Chaos> chaos) {
            Closed c = close(d);
            print(d, c);
            String p = d.label + ": ";
            checkIo(d, c, subs, chaos, p);
            if (d.wrapper != null) {
                checkBuggyDriver(d.wrapper, c, p);
            }
            if (runtime >= 10) {
                checkCoverage(d, c, p);
            }
        }

        private Closed close(DeviceRun d) {
            Violations v = d.dev.violations();
            Map<Violation, Long> counted = v == null ? null : v.snapshot();
            long[] faults = d.dev.engine().faultCounts();
            GenDisk disk = d.disk;
            d.dev.close();
            CloseReport close = disk.closeReport();
            if (d.wrapper != null) {
                d.wrapper.stop();
            }
            return new Closed(counted, faults, close, disk.name());
        }

        /** The device's section of the report: I/Os, statuses, data, faults, the buggy driver, close, problems. */
        private void print(DeviceRun d, Closed c) {
            Tally t = d.tally;
            long[] faults = c.faults();
            out.println();
            out.printf("== %s (%s driver%s) ==%n", d.label, d.dev.driver(),
                    d.wrapper != null ? ", ownership " + mode + ", irqmode " + d.irqmode : ", irqmode " + d.irqmode);
            StringBuilder ops = new StringBuilder();
            for (ReqOp op : ReqOp.values()) {
                ops.append(' ').append(op).append(' ').append(t.ops.get(op).sum());
            }
            out.printf("  I/Os %d:%s%n", t.ios(), ops);
            StringBuilder st = new StringBuilder();
            for (BlkStatus s : BlkStatus.values()) {
                long n = t.statuses.get(s).sum();
                if (n > 0) {
                    st.append(' ').append(s).append(' ').append(n);
                }
            }
            out.printf("  statuses:%s%n", st);
            out.printf(Locale.ROOT, "  data: %.1f MiB read, %.1f MiB written; %d sectors verified, %d skipped"
                    + " (outcome of an errored write unknown: checked only for intact stamps)%n",
                    t.bytesRead.sum() / 1048576.0, t.bytesWritten.sum() / 1048576.0, t.sectorsVerified.sum(),
                    t.sectorsUnknown.sum());
            out.printf("  faults: timeouts injected %d, requeues injected %d, throttled %d, bad-block errors %d,"
                    + " bios ended TIMEOUT %d, submit_queues changes %d, freezes %d, quiesces %d%n",
                    faults[0], faults[1], faults[3], t.badBlockErrors.sum(), t.timeouts.sum(),
                    t.submitQueueChanges.sum(), t.freezes.sum(), t.quiesces.sum());
            MisbehavingOps w = d.wrapper;
            if (w != null) {
                out.printf("  buggy driver: double ends %d, stale-handle ends %d, wrong-thread I/Os %d (timer "
                        + "resets %d),"
                        + " leaks %d (ended by their timeout %d)%n", w.doubleEnds.get(), w.staleEnds.get(),
                        w.wrongThreadIos.get(), w.resetTimers.get(), w.leaks.get(), w.leaksEnded.get());
                out.printf("  violations injected %d: refused ALREADY_ENDED %d, STALE %d, RELEASED %d, SHARED %d;"
                        + " not refused %d%n", w.injections(), w.outcome(EndOutcome.ALREADY_ENDED),
                        w.outcome(EndOutcome.STALE), w.outcome(EndOutcome.RELEASED), w.outcome(EndOutcome.SHARED),
                        w.outcome(EndOutcome.ENDED));
                out.printf("  violations counted by the disk: %s%n", c.counted());
                if (mode == Ownership.DEBUG) {
                    out.printf("  refusal reports logged (debug): %d%n", logs.refusalReports(c.diskName()));
                }
            }
            out.printf("  close: %s%n", c.close().leaked().isEmpty() ? "no tag held" : c.close().leaked().size()
                    + " request(s) still held a tag: " + c.close().leaked());
            if (t.noteCount() > 0) {
                out.printf("  problems (%d, first shown):%n", t.noteCount());
                for (String n : t.notes()) {
                    out.println("    " + n);
                }
            }
        }

        /** Every bio completed once with the right data, every error explained, no tag held, reconfiguration worked. */
        private void checkIo(DeviceRun d, Closed c, List<Submitter> subs, List<Chaos> chaos, String p) {
            Tally t = d.tally;
            CloseReport close = c.close();
            long lost = d.outstanding.size();
            boolean drained = true;
            for (Submitter sb : subs) {
                if (sb.run == d && !sb.drained) {
                    drained = false;
                }
            }
            checks.check(lost == 0 && drained && t.doubleCompletions.sum() == 0 && t.submitExceptions.sum() == 0,
                    p + "every bio completed exactly once (" + t.ios() + " completed, " + lost + " never, "
                            + t.doubleCompletions.sum() + " more than once, " + t.submitExceptions.sum()
                            + " submissions threw)");
            checks.check(t.mismatches.sum() == 0, p + "every read returned the last acknowledged write ("
                    + t.sectorsVerified.sum() + " sectors verified, " + t.mismatches.sum() + " mismatches)");
            checks.check(t.unexpectedErrors.sum() == 0, p + "every error is explained by an injected fault ("
                    + t.unexpectedErrors.sum() + " unexplained)");
            checks.check(close.leaked().isEmpty(), p + "no tag held at close (" + close.leaked().size() + " held)");
            for (Chaos ch : chaos) {
                if (ch.run == d) {
                    checks.check(ch.failure == null, p + "reconfiguration under I/O succeeded"
                            + (ch.failure != null ? " (" + ch.failure + ")" : ""));
                }
            }
        }

        /** The buggy driver's injected violations were all refused, counted kind by kind, leaks ended, debug reports.
        * */
        private void checkBuggyDriver(MisbehavingOps w, Closed c, String p) {
            Map<Violation, Long> counted = c.counted();
            // REFCOUNT gets no second or stale ends injected (its pointer handle may end the tag's
            // next request, docs/OWNERSHIP.md): then there is nothing to refuse.
            boolean injects = mode != Ownership.REFCOUNT;
            checks.check(w.outcome(EndOutcome.ENDED) == 0 && (w.injections() > 0 || !injects),
                    p + "every injected violation was refused (" + w.injections() + " injected, "
                            + w.outcome(EndOutcome.ENDED) + " went through"
                            + (injects ? ")" : "; refcount: none injected)"));
            boolean exact = true;
            StringBuilder diff = new StringBuilder();
            for (Violation k : Violation.values()) {
                long want = switch (k) {
                    case ALREADY_ENDED -> w.outcome(EndOutcome.ALREADY_ENDED);
                    case STALE -> w.outcome(EndOutcome.STALE);
                    case RELEASED -> w.outcome(EndOutcome.RELEASED);
                    case SHARED -> w.outcome(EndOutcome.SHARED);
                    default -> 0;
                };
                long got = counted.get(k);
                if (got != want) {
                    exact = false;
                    diff.append(' ').append(k).append(" counted ").append(got).append(" injected ").append(want);
                }
            }
            checks.check(exact, p + "violation counts match the injections kind by kind"
                    + (exact ? "" : ":" + diff));
            checks.check(w.leaks.get() == w.leaksEnded.get() && w.ownRefused.get() == 0,
                    p + "every leaked request was ended by its timeout (" + w.leaks.get() + " leaked, "
                            + w.leaksEnded.get() + " ended)");
            if (mode == Ownership.DEBUG) {
                long total = counted == null ? 0 : counted.values().stream().mapToLong(Long::longValue).sum();
                checks.check(logs.refusalReports(c.diskName()) == total,
                        p + "each refusal reported once in debug mode (" + logs.refusalReports(c.diskName())
                                + " reports, " + total + " violations)");
            }
        }

        /** A long run (10 s or more) fired every kind of fault at least once. */
        private void checkCoverage(DeviceRun d, Closed c, String p) {
            Tally t = d.tally;
            long[] faults = c.faults();
            MisbehavingOps w = d.wrapper;
            boolean covered = faults[0] > 0 && faults[1] > 0 && faults[3] > 0 && t.badBlockErrors.sum() > 0
                    && t.submitQueueChanges.sum() > 0 && t.freezes.sum() > 0 && t.quiesces.sum() > 0
                    && (w == null || (w.leaks.get() > 0 && w.wrongThreadIos.get() > 0 && w.doubleEnds.get() > 0
                    && w.staleEnds.get() > 0));
            checks.check(covered, p + "every fault kind fired at least once");
        }
    }

    /** Named pass/fail checks and the closing line. */
    static final class Checks {
        private final PrintStream out;
        private final List<String> lines = new ArrayList<>();
        private int passed;
        private int failed;

        Checks(PrintStream out) {
            this.out = out;
        }

        void check(boolean ok, String what) {
            lines.add((ok ? "  PASS " : "  FAIL ") + what);
            if (ok) {
                passed++;
            } else {
                failed++;
            }
        }

        /** The checks, the verdict, and under it {@code rerun} (seed and command), so a failed run ends with them. */
        int finish(String rerun) {
            out.println();
            out.println("Checks:");
            lines.forEach(out::println);
            out.println(passed + " passed, " + failed + " failed");
            out.println(rerun);
            return failed == 0 ? 0 : 1;
        }
    }
}
