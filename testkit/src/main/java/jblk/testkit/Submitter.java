package jblk.testkit;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import jblk.blockcore.SwQueue;

/**
 * One submitting thread of a pass (a "CPU"): opens its own software queue and issues its planned
 * I/Os with up to {@link #DEPTH} in flight, some of them as plugged bursts. Every wait is bounded by
 * the pass's completion wait, so a driver that stops completing stalls the submitter, not the kit.
 */
final class Submitter implements Runnable {
    static final int DEPTH = 8;
    private static final int BURST = 4;

    private final PassRun run;
    final String name;
    private final int id;
    private final List<IoSpec> specs;
    private final Semaphore depth = new Semaphore(DEPTH);
    private final SwQueue queue;
    final Thread thread;
    volatile String stalled;
    volatile Throwable failure;

    /** Opens its software queue now, so submitters get contexts 0..n-1 and spread over the hw queues. */
    Submitter(PassRun run, String name, int id, List<IoSpec> specs) {
        this.queue = run.disk.openQueue();
        this.run = run;
        this.name = name;
        this.id = id;
        this.specs = specs;
        this.thread = new Thread(this, "kit-" + run.pass.label() + "-" + name.replace(' ', '-'));
        this.thread.setDaemon(true);
    }

    @Override
    public void run() {
        try (SwQueue q = queue) {
            int burst = 0;
            for (int i = 0; i < specs.size() && stalled == null; i++) {
                IoSpec s = specs.get(i);
                if (s.plug() && !q.isPlugged()) {
                    q.startPlug();
                    burst = BURST;
                }
                if (!depth.tryAcquire()) {
                    q.flushPlug(); // plugged I/Os hold permits: issue them before waiting
                    if (!depth.tryAcquire(run.waitNs(), TimeUnit.NANOSECONDS)) {
                        stalled = "no completion for " + run.waitMs() + " ms with " + DEPTH + " I/Os in flight, before "
                                + s + " (I/O #" + i + ")";
                        break;
                    }
                }
                if (s.sectors() > 0 && !lockRange(q, s)) {
                    depth.release();
                    stalled = "sectors " + s.start() + " +" + s.sectors() + " stayed busy for " + run.waitMs()
                            + " ms (I/O #" + i + ")";
                    break;
                }
                run.submit(q, this, id, i, s);
                if (q.isPlugged() && --burst <= 0) {
                    q.finishPlug();
                }
            }
            if (q.isPlugged()) {
                q.finishPlug();
            }
            // Wait for this submitter's I/Os before its queue closes.
            if (!depth.tryAcquire(DEPTH, run.waitNs(), TimeUnit.NANOSECONDS) && stalled == null) {
                stalled = (DEPTH - depth.availablePermits()) + " I/O(s) not completed " + run.waitMs()
                        + " ms after the last submission";
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private boolean lockRange(SwQueue q, IoSpec s) {
        if (run.model.tryLock(s.start(), s.sectors())) {
            return true;
        }
        q.flushPlug(); // the range may be held by one of our own plugged I/Os
        long deadline = System.nanoTime() + run.waitNs();
        while (!run.model.tryLock(s.start(), s.sectors())) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(50_000L);
        }
        return true;
    }

    /** A completion: give the depth permit back. */
    void done() {
        depth.release();
    }
}
