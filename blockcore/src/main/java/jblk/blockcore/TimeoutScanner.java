package jblk.blockcore;

import java.util.concurrent.locks.LockSupport;

/**
 * Models {@code blk_mq_timeout_work} for one disk: a daemon thread that periodically advances the
 * queue's coarse clock, finds in-flight requests past their deadline, marks each TIMED_OUT with a
 * CAS (so the driver's timeout callback runs at most once per expiry) and calls it; RESET_TIMER, or
 * a driver without a timeout callback, re-arms the deadline. When the queue's rolling
 * {@link TimeoutTimer} is due it does what the kernel's timer work does besides: re-arm the timer
 * for the earliest pending deadline, or, with nothing in flight, stop it and give the disk's fair
 * share of a shared tag set back ({@code blk_mq_tag_idle}). A disk is thus idled only after a
 * whole timer period, not whenever a scan happens to find it empty.
 */
final class TimeoutScanner implements Runnable {
    private final RequestQueue q;
    private final Thread thread;
    private volatile boolean stopped;
    private final ScanPass pass = new ScanPass();

    TimeoutScanner(RequestQueue q) {
        this.q = q;
        this.thread = new Thread(this, "jblk-" + q.disk.name() + "-timeout");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        while (!stopped) {
            LockSupport.parkNanos(this, q.scanIntervalMs * 1_000_000L);
            if (stopped) {
                break;
            }
            try {
                scan();
            } catch (RuntimeException e) {
                BlkLog.LOG.log(System.Logger.Level.ERROR, "timeout scan failed: " + e, e);
            }
        }
    }

    void scan() {
        long nowMs = System.nanoTime() / 1_000_000L;
        q.tickJiffies(nowMs);
        pass.nowMs = nowMs;
        pass.next = TimeoutTimer.NOT_PENDING;
        Tags.forEachBusy(q, pass);
        timerWork(nowMs, pass.next);
    }

    /**
     * {@code blk_mq_check_expired} over the busy tags: expires what is past its deadline and keeps
     * the earliest deadline still to come. One instance, used by the scanner thread alone, so a
     * scan allocates nothing.
     */
    private final class ScanPass implements Tags.BusyIter {
        long nowMs;
        long next;

        @Override
        public boolean visit(Request rq) {
            long w = rq.laWord();
            if (RequestState.state(w) != RequestState.IN_FLIGHT || RequestState.timedOut(w)) {
                return false;
            }
            long deadline = rq.deadlineMs;
            if (deadline - nowMs > 0) {
                // blk_mq_req_expired's "next": the earliest deadline still to come
                next = next == TimeoutTimer.NOT_PENDING || deadline - next < 0 ? deadline : next;
                return false;
            }
            return expire(rq, nowMs);
        }
    }

    /**
     * The rest of {@code blk_mq_timeout_work}, run only when the rolling timer is due: re-arm it
     * for {@code next}, or, with nothing in flight, stop it and mark the disk's hctxs idle.
     */
    private void timerWork(long nowMs, long next) {
        TimeoutTimer timer = q.timeoutTimer;
        long fired = timer.dueAt(nowMs);
        if (fired == TimeoutTimer.NOT_PENDING) {
            return;
        }
        if (timer.rearm(fired, next) && next == TimeoutTimer.NOT_PENDING && q.set.queueShared) {
            q.tagIdle();
        }
    }

    /**
     * The scan's step for one request ({@code blk_mq_check_expired}): if it is this queue's, in
     * flight and past its deadline, mark it TIMED_OUT with a CAS and handle the expiry. Returns
     * whether this call marked it.
     */
    boolean expire(Request rq, long nowMs) {
        long w = rq.laWord();
        if (RequestState.state(w) != RequestState.IN_FLIGHT || RequestState.timedOut(w)
                || rq.q != q || rq.deadlineMs - nowMs > 0) {
            return false;
        }
        // RQF_TIMED_OUT: only one expiry handling per start; a completion racing us wins if it
        // moved the word first.
        if (!rq.casWord(w, w | RequestState.TIMED_OUT)) {
            return false;
        }
        timedOut(rq, w | RequestState.TIMED_OUT, nowMs);
        return true;
    }

    /** {@code blk_mq_rq_timed_out}. */
    private void timedOut(Request rq, long w, long nowMs) {
        if (q.set.hasTimeout) {
            EhTimerReturn ret;
            try {
                ret = q.set.ops.timeout(rq);
            } catch (RuntimeException e) {
                BlkLog.driverException("timeout (tag " + rq.tag + ")", e);
                ret = EhTimerReturn.RESET_TIMER;
            }
            if (ret == EhTimerReturn.DONE) {
                return;
            }
        }
        // blk_add_timer: a new deadline, then clear TIMED_OUT if the request is still this one.
        rq.deadlineMs = nowMs + q.timeoutMs + q.scanIntervalMs;
        q.timeoutTimer.add(nowMs, rq.deadlineMs);
        long gen = RequestState.generation(w);
        while (true) {
            long cur = rq.lvWord();
            if (RequestState.generation(cur) != gen || !RequestState.timedOut(cur)
                    || RequestState.state(cur) != RequestState.IN_FLIGHT) {
                return;
            }
            if (rq.casWord(cur, cur & ~RequestState.TIMED_OUT)) {
                return;
            }
        }
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
