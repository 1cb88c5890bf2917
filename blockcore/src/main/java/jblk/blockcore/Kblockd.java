package jblk.blockcore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Models the {@code kblockd} workqueue for one disk: asynchronous and delayed hardware-queue runs
 * ({@code hctx->run_work}) and the requeue work ({@code q->requeue_work}). One daemon thread, named
 * after the disk.
 */
final class Kblockd implements Runnable {
    private final RequestQueue q;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    /** Hctxs with a run scheduled; each one's {@code runAtNs} says when. Guarded by lock. */
    private final List<HwQueue> scheduled = new ArrayList<>();
    private boolean requeueScheduled;
    private long requeueAtNs;
    private volatile boolean stopped;

    Kblockd(RequestQueue q) {
        this.q = q;
        this.thread = new Thread(this, "jblk-" + q.disk.name() + "-kblockd");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Schedules a run of {@code hctx} in {@code delayNs} (0: as soon as possible). */
    void scheduleRun(HwQueue hctx, long delayNs) {
        long at = System.nanoTime() + delayNs;
        lock.lock();
        try {
            int i = scheduled.indexOf(hctx);
            if (i < 0) {
                scheduled.add(hctx);
                hctx.runAtNs = at;
                work.signal();
            } else if (at - hctx.runAtNs < 0) {
                hctx.runAtNs = at;
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    void kickRequeue(long delayNs) {
        long at = System.nanoTime() + delayNs;
        lock.lock();
        try {
            if (!requeueScheduled || at - requeueAtNs < 0) {
                requeueScheduled = true;
                requeueAtNs = at;
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops a removed hctx from the schedule. */
    void forget(HwQueue hctx) {
        lock.lock();
        try {
            scheduled.remove(hctx);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void run() {
        List<HwQueue> due = new ArrayList<>();
        while (!stopped) {
            boolean requeue = false;
            lock.lock();
            try {
                long now = System.nanoTime();
                long next = Long.MAX_VALUE;
                for (int i = scheduled.size() - 1; i >= 0; i--) {
                    HwQueue h = scheduled.get(i);
                    long wait = h.runAtNs - now;
                    if (wait <= 0) {
                        due.add(h);
                        scheduled.remove(i);
                    } else {
                        next = Math.min(next, wait);
                    }
                }
                if (requeueScheduled) {
                    long wait = requeueAtNs - now;
                    if (wait <= 0) {
                        requeue = true;
                        requeueScheduled = false;
                    } else {
                        next = Math.min(next, wait);
                    }
                }
                if (due.isEmpty() && !requeue) {
                    try {
                        if (next == Long.MAX_VALUE) {
                            work.await();
                        } else {
                            work.awaitNanos(next);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
            } finally {
                lock.unlock();
            }
            if (requeue) {
                safely(q::requeueWork);
            }
            for (HwQueue h : due) {
                safely(h::runSync);
            }
            due.clear();
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            BlkLog.LOG.log(System.Logger.Level.ERROR, "kblockd work failed: " + e, e);
        }
    }

    void stop() {
        stopped = true;
        lock.lock();
        try {
            work.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
