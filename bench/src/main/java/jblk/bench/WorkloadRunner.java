package jblk.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a set of {@link IoJob}s through ramp, measurement and stop, and collects what fio reports:
 * per-job counts, bytes, latency histograms, per-interval IOPS and bandwidth samples (fio's
 * {@code iops_min/max/mean/stddev}), errors, and the bytes allocated during the measured window
 * (all threads, and the submitter threads alone) and the CPU time of every thread of the device
 * and the jobs. The runner thread only sleeps and reads counters; the jobs do the I/O.
 */
final class WorkloadRunner {
    /** fio's default sample interval for bw/iops statistics (its log_avg_msec/bw_avg). */
    static final long DEFAULT_SAMPLE_NS = 500_000_000L;

    private WorkloadRunner() {
    }

    /** What one job did in the measured window. */
    static final class JobResult {
        final IoJob job;
        final long runtimeNs;
        final long[] ios = new long[2];
        final long[] bytes = new long[2];
        final List<List<Double>> iopsSamples = List.of(new ArrayList<>(), new ArrayList<>());
        final List<List<Double>> bwSamples = List.of(new ArrayList<>(), new ArrayList<>());

        JobResult(IoJob job, long runtimeNs) {
            this.job = job;
            this.runtimeNs = runtimeNs;
            for (int d = 0; d < 2; d++) {
                ios[d] = job.count(d);
                bytes[d] = job.bytes(d);
            }
        }
    }

    /** The outcome of one run. */
    static final class RunResult {
        final List<JobResult> jobs = new ArrayList<>();
        /** fio's measured window: from the switch to MEASURE to STOP (or the last job stopping itself). */
        long measureNs;
        /** Bytes allocated by every other thread in the window (-1 if the JVM cannot tell). */
        long allocBytesAll = -1;
        /** Bytes allocated by the submitter threads in the window (-1 if unknown). */
        long allocBytesJobs = -1;
        /** CPU time of every other thread in the window: the jobs and the device's threads (-1 if unknown). */
        long cpuNsAll = -1;
        /**
         * The I/Os the jobs completed between the window's two counter sweeps, the ones
         * {@link #cpuNsAll} paid for: what CPU per I/O divides by. {@link #totalIos} is fio's
         * count, up to each job seeing STOP, which a preempted runner thread can leave running on.
         */
        long windowIos;
        /** The clock between the two counter sweeps, for {@link #windowIos}. */
        long windowNs;
        /** Measured turns ({@link #runTurns}) this runner started more than half a slice late. */
        int lateTurns;
        /** Times the same threads were switched onto a CPU in the window ({@link ContextSwitches}; -1 if unknown). */
        long switchesAll = -1;
        /**
         * The JIT's compile time that ended in the window, in ms (-1 if the JVM does not say): the
         * run's own bookkeeping before and after it (a job's setup, the histograms, the report) is
         * compiled outside it, so above 0 means the measured code itself was still being compiled.
         */
        long jitMs = -1;

        long totalIos() {
            long n = 0;
            for (JobResult j : jobs) {
                n += j.ios[0] + j.ios[1];
            }
            return n;
        }

        double iops() {
            return measureNs == 0 ? 0 : totalIos() * 1e9 / measureNs;
        }
    }

    /**
     * Runs {@code jobs}: starts them, ramps for {@code rampNs} (not counted), measures for
     * {@code runtimeNs} (0: until every job stopped by itself), stops them and waits for them
     * (including their verify phase). Takes interval samples every {@code sampleNs}.
     */
    static RunResult run(List<IoJob> jobs, long rampNs, long runtimeNs, long sampleNs) throws InterruptedException {
        Window w = new Window(jobs);
        if (rampNs == 0) {
            w.open(false);   // no ramp: the jobs start measured, so an I/O limit is exact from the first I/O
        }
        for (IoJob j : jobs) {
            j.start();
        }
        RunResult r;
        try {
            if (rampNs > 0) {
                sleepUntil(System.nanoTime() + rampNs, jobs);
                w.open(true);
            }
            Samples s = sample(jobs, w.t0, runtimeNs, sampleNs);
            w.close();
            for (IoJob j : jobs) {
                j.thread.join();
            }
            r = w.result(s);
        } finally {
            stopAndJoin(jobs);
        }
        throwFailure(jobs);
        return r;
    }

    /**
     * Runs {@code jobs} in the turns of {@code t}: they start paused, run (ramp, then measured) in
     * this worker's turns and pause in the others', while other workers' jobs run theirs. The
     * window opens before the first measured turn starts (the jobs paused, nothing in flight) and
     * closes at the end of the last one, as {@link #run}'s does; between them the jobs' CPU time
     * and I/Os accrue only in this worker's turns and in the drain after each. The result's
     * {@code windowNs} and {@code measureNs} are the measured turns' time, so IOPS is per turn time
     * (a job's own {@code runtimeNs} spans the round). The result is put together only after the
     * round's last turn, so this worker's bookkeeping does not run in the others' turns. A turn the
     * runner thread started more than half a slice late (a busy machine) is counted in
     * {@code lateTurns}: it was short, and its time and I/Os are in the figures as they were.
     */
    static RunResult runTurns(List<IoJob> jobs, Turns t) throws InterruptedException {
        if (t.slots() < 2) {
            throw new IllegalArgumentException("turns need two slots at least: " + t);
        }
        Window w = new Window(jobs);
        for (IoJob j : jobs) {
            j.pause();
            j.start();
        }
        long activeNs = 0;
        int late = 0;
        RunResult r;
        try {
            for (int c = 0; c < t.allCycles(); c++) {
                if (c == t.rampCycles()) {
                    w.open(false);   // the jobs paused since their last turn: nothing in flight
                }
                parkUntil(t.start(c));
                long on = System.nanoTime();
                for (IoJob j : jobs) {
                    j.resume();
                }
                if (c >= t.rampCycles() && on - t.start(c) > t.sliceNs() / 2) {
                    late++;
                }
                parkUntil(t.end(c));
                if (c == t.allCycles() - 1) {
                    w.close();   // STOP: the jobs drain and end, as after any turn
                    activeNs += w.t1 - on;
                } else {
                    for (IoJob j : jobs) {
                        j.pause();
                    }
                    if (c >= t.rampCycles()) {
                        activeNs += System.nanoTime() - on;
                    }
                }
            }
            parkUntil(t.roundEnd());
            for (IoJob j : jobs) {
                j.thread.join();
            }
            r = w.result(new Samples(jobs.size()));
            r.windowNs = activeNs;
            r.measureNs = activeNs;
            r.lateTurns = late;
        } finally {
            stopAndJoin(jobs);
        }
        throwFailure(jobs);
        return r;
    }

    /**
     * STOP to every job, then waits for them (30 s at most); a paused job too, since the phase
     * change wakes it and a stopped job drains and ends without a resume.
     */
    private static void stopAndJoin(List<IoJob> jobs) throws InterruptedException {
        for (IoJob j : jobs) {
            j.setPhase(IoJob.STOP);
        }
        for (IoJob j : jobs) {
            j.thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    /** A job's failure, as the run's. */
    private static void throwFailure(List<IoJob> jobs) {
        for (IoJob j : jobs) {
            if (j.failure() != null) {
                throw new IllegalStateException("job " + j.spec.name() + " failed: " + j.failure(), j.failure());
            }
        }
    }

    /**
     * Parks until {@code deadline} on the nanosecond clock: a turn's edges need better than
     * {@link Thread#sleep}, which on JDK 17 rounds any fraction of a millisecond up to a whole one
     * (the next worker's turn would start while this one's still ran).
     */
    private static void parkUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** The per-interval IOPS and bandwidth samples of each job and direction. */
    private static final class Samples {
        final List<List<List<Double>>> iops = new ArrayList<>();
        final List<List<List<Double>>> bw = new ArrayList<>();

        Samples(int jobs) {
            for (int i = 0; i < jobs; i++) {
                iops.add(List.of(new ArrayList<>(), new ArrayList<>()));
                bw.add(List.of(new ArrayList<>(), new ArrayList<>()));
            }
        }
    }

    /** Sleeps through the measured window, sampling every {@code sampleNs}, until it ends or every job stopped. */
    private static Samples sample(List<IoJob> jobs, long t0, long runtimeNs,
            long sampleNs) throws InterruptedException {
        Samples s = new Samples(jobs.size());
        long end = runtimeNs > 0 ? t0 + runtimeNs : Long.MAX_VALUE;
        long[][] lastCount = new long[jobs.size()][2];
        long[][] lastBytes = new long[jobs.size()][2];
        long lastSample = t0;
        long now = t0;
        while (now < end && !allStopped(jobs)) {
            sleepUntil(Math.min(end, lastSample + sampleNs), jobs);
            now = System.nanoTime();
            if (now - lastSample < sampleNs) {
                continue;
            }
            double secs = (now - lastSample) / 1e9;
            for (int i = 0; i < jobs.size(); i++) {
                IoJob j = jobs.get(i);
                if (j.finished() || j.selfStopNs() != 0) {
                    continue; // a stopped job's partial interval is not a sample
                }
                for (int d = 0; d < 2; d++) {
                    long c = j.count(d);
                    long b = j.bytes(d);
                    s.iops.get(i).get(d).add((c - lastCount[i][d]) / secs);
                    s.bw.get(i).get(d).add((b - lastBytes[i][d]) / secs / 1024.0);
                    lastCount[i][d] = c;
                    lastBytes[i][d] = b;
                }
            }
            lastSample = now;
        }
        return s;
    }

    /**
     * The measured window: when it opened and closed, and the threads' allocation and CPU counters
     * at both ends. Every thread but the runner's own counts (the device's softirq, timer,
     * completion and timeout threads, and the jobs): the JIT's and GC's threads are not Java
     * threads and are not in it.
     */
    private static final class Window {
        private final List<IoJob> jobs;
        private final com.sun.management.ThreadMXBean mx = threadBean();
        private final long[] jobIds;
        long t0;
        long t1;
        private Map<Long, long[]> others0;
        private Map<Long, long[]> others1;
        private long[] allocJobs0;
        private long[] allocJobs1;
        private long jit0 = -1;
        private long jit1 = -1;
        private final long runnerTid = ContextSwitches.currentTid();
        private long switches0 = -1;
        private long switches1 = -1;
        private long ios0;
        private long ios1;
        private long stopNs;

        Window(List<IoJob> jobs) {
            this.jobs = jobs;
            this.jobIds = new long[jobs.size()];
            for (int i = 0; i < jobIds.length; i++) {
                jobIds[i] = jobs.get(i).thread.getId();
            }
        }

        /**
         * Opens the window. Running jobs: MEASURE first, then the clock, the CPU times and the I/O
         * counts back to back, so the window's CPU per I/O holds even if this thread is preempted
         * after the switch (on a busy machine a slice of 3 ms and more, which the jobs spent
         * clocked but unmeasured when the switch came last; close() reads the same before STOP).
         * Jobs not started yet: nothing runs, so the sweep goes first and the clock last, and the
         * sweep's own time is not in the window.
         */
        void open(boolean jobsRunning) {
            if (jobsRunning) {
                measure();
                t0 = System.nanoTime();
            }
            others0 = countersOfOthers(mx);
            ios0 = iosNow();
            allocJobs0 = mx == null ? null : mx.getThreadAllocatedBytes(jobIds);
            switches0 = ContextSwitches.sumExcept(runnerTid);
            jit0 = JitQueue.totalMs();
            if (!jobsRunning) {
                t0 = System.nanoTime();
                measure();
            }
        }

        private void measure() {
            for (IoJob j : jobs) {
                j.setPhase(IoJob.MEASURE);
            }
        }

        void close() {
            // every counter is read while the submitters still run: a submitter that saw STOP may
            // exit before the sweep, and its CPU time, most of the window's at irqmode=0, would be
            // lost (measured: a paired round at -100%); the I/Os a job completes after the sweep
            // (until it sees STOP) are in its own counts but not in the window's
            t1 = System.nanoTime();
            others1 = countersOfOthers(mx);
            ios1 = iosNow();
            allocJobs1 = mx == null ? null : mx.getThreadAllocatedBytes(jobIds);
            switches1 = ContextSwitches.sumExcept(runnerTid);
            jit1 = JitQueue.totalMs();
            stopNs = System.nanoTime();   // fio's window ends here: the jobs count on until STOP
            for (IoJob j : jobs) {
                j.setPhase(IoJob.STOP);
            }
        }

        /** The jobs' measured I/Os so far (each job publishes its counts with opaque stores). */
        private long iosNow() {
            long n = 0;
            for (IoJob j : jobs) {
                n += j.count(IoJob.DIR_READ) + j.count(IoJob.DIR_WRITE);
            }
            return n;
        }

        RunResult result(Samples s) {
            RunResult r = new RunResult();
            long windowEnd = t0;
            for (int i = 0; i < jobs.size(); i++) {
                IoJob j = jobs.get(i);
                long self = j.selfStopNs();
                long jobEnd = self != 0 && self < stopNs ? self : stopNs;
                windowEnd = Math.max(windowEnd, jobEnd);
                JobResult jr = new JobResult(j, Math.max(0, jobEnd - t0));
                for (int d = 0; d < 2; d++) {
                    jr.iopsSamples.get(d).addAll(s.iops.get(i).get(d));
                    jr.bwSamples.get(d).addAll(s.bw.get(i).get(d));
                }
                r.jobs.add(jr);
            }
            r.measureNs = windowEnd - t0;
            r.windowIos = ios1 - ios0;
            r.windowNs = t1 - t0;
            r.jitMs = jit0 < 0 || jit1 < 0 ? -1 : jit1 - jit0;
            if (others0 != null && others1 != null) {
                r.allocBytesAll = sumDelta(others0, others1, 0);
                r.cpuNsAll = sumDelta(others0, others1, 1);
            }
            r.switchesAll = switches0 < 0 || switches1 < 0 ? -1 : switches1 - switches0;
            if (allocJobs0 == null && allocJobs1 != null) {
                // no ramp: the submitter threads were new at t0, everything they allocated counts
                // (their setup is in the constructor, on the runner thread)
                allocJobs0 = new long[jobIds.length];
            }
            if (allocJobs0 != null && allocJobs1 != null) {
                long sum = 0;
                for (int i = 0; i < jobIds.length; i++) {
                    if (allocJobs1[i] < 0) {
                        sum = -1;
                        break;
                    }
                    // a thread not yet started at t0 had allocated nothing
                    sum += allocJobs1[i] - Math.max(0, allocJobs0[i]);
                }
                r.allocBytesJobs = sum;
            }
            return r;
        }

        /** The sum of counter {@code k} over the threads seen at the end ({@code -1} if any was unknown there). */
        private static long sumDelta(Map<Long, long[]> a, Map<Long, long[]> b, int k) {
            long sum = 0;
            for (Map.Entry<Long, long[]> e : b.entrySet()) {
                long end = e.getValue()[k];
                if (end < 0) {
                    return -1;
                }
                long[] begin = a.get(e.getKey());
                sum += end - (begin == null || begin[k] < 0 ? 0 : begin[k]);
            }
            return sum;
        }
    }

    private static boolean allStopped(List<IoJob> jobs) {
        for (IoJob j : jobs) {
            if (!j.finished() && j.selfStopNs() == 0) {
                return false;
            }
        }
        return true;
    }

    /** Sleeps until {@code deadline}, waking early (every ms at most) when every job has finished. */
    private static void sleepUntil(long deadline, List<IoJob> jobs) throws InterruptedException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || allStopped(jobs)) {
                return;
            }
            long ms = Math.min(TimeUnit.NANOSECONDS.toMillis(left), 1);
            if (ms == 0) {
                Thread.sleep(0, (int) Math.min(left, 999_999));
            } else {
                Thread.sleep(ms);
            }
        }
    }

    /**
     * {bytes allocated, CPU ns} so far of each live thread except the caller (whose bookkeeping
     * this is), or null without allocation accounting; a counter the JVM cannot give is -1. Threads
     * that end inside a window are not seen; the runner's windows end before their jobs do.
     */
    static Map<Long, long[]> countersOfOthers(com.sun.management.ThreadMXBean mx) {
        if (mx == null) {
            return null;
        }
        long[] ids = mx.getAllThreadIds();
        long[] bytes = mx.getThreadAllocatedBytes(ids);
        long[] cpu = mx.isThreadCpuTimeSupported() && mx.isThreadCpuTimeEnabled() ? mx.getThreadCpuTime(ids) : null;
        long self = Thread.currentThread().getId();
        Map<Long, long[]> m = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            // a thread that exited between the two reads has -1 in the second: it is not seen
            if (ids[i] != self && bytes[i] >= 0 && (cpu == null || cpu[i] >= 0)) {
                m.put(ids[i], new long[] {bytes[i], cpu == null ? -1 : cpu[i]});
            }
        }
        return m;
    }

    /** The HotSpot thread bean with allocation accounting, or null where there is none. */
    static com.sun.management.ThreadMXBean threadBean() {
        java.lang.management.ThreadMXBean b = ManagementFactory.getThreadMXBean();
        if (b instanceof com.sun.management.ThreadMXBean s) {
            if (s.isThreadAllocatedMemorySupported()) {
                if (!s.isThreadAllocatedMemoryEnabled()) {
                    s.setThreadAllocatedMemoryEnabled(true);
                }
                return s;
            }
        }
        return null;
    }
}
