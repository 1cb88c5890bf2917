package jblk.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a set of {@link IoJob}s through ramp, measurement and stop, and collects what fio reports:
 * per-job counts, bytes, latency histograms, per-interval IOPS and bandwidth samples (fio's
 * {@code iops_min/max/mean/stddev}), errors, and the bytes allocated during the measured window
 * (all threads, and the submitter threads alone). The runner thread only sleeps and reads
 * counters; the jobs do the I/O.
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
        /** The measured window: from the switch to MEASURE to STOP (or the last job stopping itself). */
        long measureNs;
        /** Bytes allocated by every other thread in the window (-1 if the JVM cannot tell). */
        long allocBytesAll = -1;
        /** Bytes allocated by the submitter threads in the window (-1 if unknown). */
        long allocBytesJobs = -1;

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
        com.sun.management.ThreadMXBean mx = threadBean();
        RunResult r = new RunResult();
        long[] jobIds = new long[jobs.size()];
        for (int i = 0; i < jobIds.length; i++) {
            jobIds[i] = jobs.get(i).thread.getId();
        }
        Map<Long, Long> allocAll0 = null;
        long[] allocJobs0 = null;
        long t0 = 0;
        if (rampNs == 0) {
            // no ramp: the jobs start measured, so an I/O limit is exact from the first I/O
            allocAll0 = allocatedByOthers(mx);
            t0 = System.nanoTime();
            for (IoJob j : jobs) {
                j.setPhase(IoJob.MEASURE);
            }
        }
        for (IoJob j : jobs) {
            j.start();
        }
        try {
            if (rampNs > 0) {
                sleepUntil(System.nanoTime() + rampNs, jobs);
                allocAll0 = allocatedByOthers(mx);
                allocJobs0 = mx == null ? null : mx.getThreadAllocatedBytes(jobIds);
                t0 = System.nanoTime();
                for (IoJob j : jobs) {
                    j.setPhase(IoJob.MEASURE);
                }
            }
            long end = runtimeNs > 0 ? t0 + runtimeNs : Long.MAX_VALUE;
            long[][] lastCount = new long[jobs.size()][2];
            long[][] lastBytes = new long[jobs.size()][2];
            long lastSample = t0;
            List<List<List<Double>>> iopsS = new ArrayList<>();
            List<List<List<Double>>> bwS = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                iopsS.add(List.of(new ArrayList<>(), new ArrayList<>()));
                bwS.add(List.of(new ArrayList<>(), new ArrayList<>()));
            }
            long now = t0;
            while (now < end && !allStopped(jobs)) {
                long wake = Math.min(end, lastSample + sampleNs);
                sleepUntil(wake, jobs);
                now = System.nanoTime();
                if (now - lastSample >= sampleNs) {
                    double secs = (now - lastSample) / 1e9;
                    for (int i = 0; i < jobs.size(); i++) {
                        IoJob j = jobs.get(i);
                        if (j.finished() || j.selfStopNs() != 0) {
                            continue; // a stopped job's partial interval is not a sample
                        }
                        for (int d = 0; d < 2; d++) {
                            long c = j.count(d);
                            long b = j.bytes(d);
                            iopsS.get(i).get(d).add((c - lastCount[i][d]) / secs);
                            bwS.get(i).get(d).add((b - lastBytes[i][d]) / secs / 1024.0);
                            lastCount[i][d] = c;
                            lastBytes[i][d] = b;
                        }
                    }
                    lastSample = now;
                }
            }
            for (IoJob j : jobs) {
                j.setPhase(IoJob.STOP);
            }
            long t1 = System.nanoTime();
            Map<Long, Long> allocAll1 = allocatedByOthers(mx);
            long[] allocJobs1 = mx == null ? null : mx.getThreadAllocatedBytes(jobIds);
            for (IoJob j : jobs) {
                j.thread.join();
            }
            long windowEnd = t0;
            for (int i = 0; i < jobs.size(); i++) {
                IoJob j = jobs.get(i);
                long self = j.selfStopNs();
                long jobEnd = self != 0 && self < t1 ? self : t1;
                windowEnd = Math.max(windowEnd, jobEnd);
                JobResult jr = new JobResult(j, Math.max(0, jobEnd - t0));
                for (int d = 0; d < 2; d++) {
                    jr.iopsSamples.get(d).addAll(iopsS.get(i).get(d));
                    jr.bwSamples.get(d).addAll(bwS.get(i).get(d));
                }
                r.jobs.add(jr);
            }
            r.measureNs = windowEnd - t0;
            if (allocAll0 != null && allocAll1 != null) {
                long sum = 0;
                for (Map.Entry<Long, Long> e : allocAll1.entrySet()) {
                    sum += e.getValue() - allocAll0.getOrDefault(e.getKey(), 0L);
                }
                r.allocBytesAll = sum;
            }
            if (allocJobs0 == null && allocJobs1 != null) {
                // no ramp: the submitter threads were new at t0, everything they allocated counts
                // (their setup is in the constructor, on this thread)
                allocJobs0 = new long[jobIds.length];
            }
            if (allocJobs0 != null && allocJobs1 != null) {
                long sum = 0;
                for (int i = 0; i < jobIds.length; i++) {
                    if (allocJobs0[i] < 0 || allocJobs1[i] < 0) {
                        sum = -1;
                        break;
                    }
                    sum += allocJobs1[i] - allocJobs0[i];
                }
                r.allocBytesJobs = sum;
            }
        } finally {
            for (IoJob j : jobs) {
                j.setPhase(IoJob.STOP);
            }
            for (IoJob j : jobs) {
                j.thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        for (IoJob j : jobs) {
            if (j.failure() != null) {
                throw new IllegalStateException("job " + j.spec.name() + " failed: " + j.failure(), j.failure());
            }
        }
        return r;
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
     * Bytes allocated so far by each live thread except the caller (whose bookkeeping this is), or
     * null without allocation accounting. Threads that end inside a window are not seen; the
     * runner's windows end before their jobs do.
     */
    static Map<Long, Long> allocatedByOthers(com.sun.management.ThreadMXBean mx) {
        if (mx == null) {
            return null;
        }
        long[] ids = mx.getAllThreadIds();
        long[] bytes = mx.getThreadAllocatedBytes(ids);
        long self = Thread.currentThread().getId();
        Map<Long, Long> m = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != self && bytes[i] >= 0) {
                m.put(ids[i], bytes[i]);
            }
        }
        return m;
    }

    /** The HotSpot thread bean with allocation accounting, or null where there is none. */
    static com.sun.management.ThreadMXBean threadBean() {
        java.lang.management.ThreadMXBean b = ManagementFactory.getThreadMXBean();
        if (b instanceof com.sun.management.ThreadMXBean) {
            com.sun.management.ThreadMXBean s = (com.sun.management.ThreadMXBean) b;
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
