package jblk.blockcore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Models {@code struct blk_mq_hw_ctx} (the hctx) and the dispatch half of block/blk-mq.c: the
 * dispatch list of requests the driver bounced ({@code hctx->dispatch}), the state bits (STOPPED,
 * TAG_ACTIVE, SCHED_RESTART, INACTIVE), running the queue ({@code blk_mq_run_hw_queue},
 * {@code blk_mq_dispatch_rq_list}) and the completion contexts of this queue.
 */
@CachelineGroup("hctx")
public final class HwQueue extends HwQueuePad1 {
    public static final int STOPPED = 1;
    public static final int TAG_ACTIVE = 1 << 1;
    public static final int SCHED_RESTART = 1 << 2;
    public static final int INACTIVE = 1 << 3;
    /** {@code BLK_MQ_RESOURCE_DELAY}: how long RESOURCE waits before the queue runs again. */
    public static final long RESOURCE_DELAY_NS = 3_000_000L;
    /** {@code BLK_MQ_DISPATCH_BUSY_EWMA_WEIGHT}. */
    static final int DISPATCH_BUSY_EWMA_WEIGHT = 8;
    /** {@code BLK_MQ_DISPATCH_BUSY_EWMA_FACTOR}: a busy sample adds {@code 1 << 4}. */
    static final int DISPATCH_BUSY_EWMA_FACTOR = 4;
    /** Rounds of scheduler dispatch before the rest goes to kblockd (the kernel bounds it by a jiffy). */
    private static final int MAX_SCHED_ROUNDS = 64;

    private static final VarHandle STATE;

    static {
        try {
            // resolved from HwQueue: the field is inherited from HwQueueDispatchFields (HwQueueFields.java)
            STATE = MethodHandles.lookup().findVarHandle(HwQueue.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final RequestQueue q;
    final TagSet set;
    final int queueNum;
    volatile HctxType type;
    volatile Tags tags;
    volatile Object driverData;
    /** {@code hctx->sched_tags}: null without an I/O scheduler; replaced only with the queue frozen. */
    volatile SchedTags schedTags;

    /** {@code hctx->dispatch}, guarded by {@code this}. */
    private final RequestList dispatch = new RequestList();
    /** Dispatchers running outside a submitter's section (kblockd, unquiesce, ...). */
    final AtomicInteger runners = new AtomicInteger();
    final ActiveShare share;

    /** Submitting contexts mapped to this queue (for their inserted-request lists). */
    volatile SwQueue[] ctxs = new SwQueue[0];

    private volatile SoftirqContext softirq;
    private volatile TimerContext timer;

    // debugfs counters (slow paths only)
    final AtomicLong runs = new AtomicLong();
    final AtomicLong busyReturns = new AtomicLong();
    final AtomicLong devResourceStalls = new AtomicLong();

    HwQueue(RequestQueue q, int queueNum, HctxType type, Tags tags, ActiveShare share) {
        this.q = q;
        this.set = q.set;
        this.queueNum = queueNum;
        this.type = type;
        this.tags = tags;
        this.share = share;
    }

    // ---- what a driver sees ----------------------------------------------------------------

    /** {@code hctx->queue_num}. */
    public int queueNum() {
        return queueNum;
    }

    public HctxType type() {
        return type;
    }

    /** {@code hctx->driver_data}, as returned by initHctx. */
    public Object driverData() {
        return driverData;
    }

    public GenDisk disk() {
        return q.disk;
    }

    public Tags tags() {
        return tags;
    }

    /** The state bits as debugfs shows them (TAG_ACTIVE comes from the fair-share bookkeeping). */
    public int state() {
        return state | (share.isActive() ? TAG_ACTIVE : 0);
    }

    public boolean isStopped() {
        return (state & STOPPED) != 0;
    }

    /** {@code blk_mq_stop_hw_queue}: no dispatch until started again; submissions queue up. */
    public void stop() {
        AtomicTally.count(AtomicTally.HCTX);
        STATE.getAndBitwiseOr(this, STOPPED);
    }

    /** {@code blk_mq_start_stopped_hw_queue}: clear STOPPED and run the queue. */
    public void startStopped(boolean async) {
        if ((state & STOPPED) == 0) {
            return;
        }
        AtomicTally.count(AtomicTally.HCTX);
        STATE.getAndBitwiseAnd(this, ~STOPPED);
        run(async || set.blocking);
    }

    /** The softirq completion context of this queue, started on first use. */
    public SoftirqContext softirq() {
        SoftirqContext s = softirq;
        if (s == null) {
            synchronized (this) {
                s = softirq;
                if (s == null) {
                    s = new SoftirqContext(this);
                    softirq = s;
                }
            }
        }
        return s;
    }

    /** The timer (hrtimer) completion context of this queue, started on first use. */
    public TimerContext timer() {
        TimerContext t = timer;
        if (t == null) {
            synchronized (this) {
                t = timer;
                if (t == null) {
                    t = new TimerContext(this);
                    timer = t;
                }
            }
        }
        return t;
    }

    void stopContexts() {
        SoftirqContext s = softirq;
        if (s != null) {
            s.stop();
        }
        TimerContext t = timer;
        if (t != null) {
            t.stop();
        }
    }

    // ---- running the queue -------------------------------------------------------------------

    boolean hasWork() {
        if (dispatchNonEmpty) {
            return true;
        }
        Elevator e = q.elevator;
        if (e != null && e.hasWork(this)) {
            return true;
        }
        for (SwQueue c : ctxs) {
            if (c.hasPending(type)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code blk_mq_run_hw_queue}: dispatch what is waiting, now (in this thread) or through
     * kblockd. A stopped or quiesced queue does not run.
     */
    public void run(boolean async) {
        if (q.isQuiesced() || isStopped() || !hasWork()) {
            return;
        }
        if (async) {
            q.kblockd.scheduleRun(this, 0);
        } else {
            runSync();
        }
    }

    /** {@code blk_mq_delay_run_hw_queue}. */
    public void delayRun(long delayNs) {
        if (isStopped()) {
            return;
        }
        q.kblockd.scheduleRun(this, delayNs);
    }

    /** Runs in the calling thread, inside a dispatch section of its own (see {@link RequestQueue#quiesce()}). */
    void runSync() {
        AtomicTally.count(AtomicTally.HCTX);
        runners.incrementAndGet(); // the atomic orders our entry before the quiesce check below
        try {
            if (!q.isQuiesced() && !isStopped()) {
                AtomicTally.count(AtomicTally.HCTX);
                runs.incrementAndGet();
                dispatchRequests();
            }
        } finally {
            AtomicTally.count(AtomicTally.HCTX);
            runners.decrementAndGet();
        }
    }

    /**
     * {@code __blk_mq_sched_dispatch_requests}: first what bounced earlier ({@code hctx->dispatch}),
     * then what waits in the software queues. This is the one place requests leave the software
     * queues for the driver; an I/O scheduler's dispatch ({@code blk_mq_do_dispatch_sched}) takes
     * the place of {@link #dispatchFromCtxs}.
     */
    void dispatchRequests() {
        if (dispatchBounced()) {
            Elevator e = q.elevator;
            if (e != null) {
                doDispatchSched(e);
            } else if (dispatchBusy != 0) {
                doDispatchCtx();
            } else {
                dispatchFromCtxs();
            }
        }
    }

    /**
     * {@code blk_mq_do_dispatch_sched}: ask the scheduler for up to {@code nr_requests} requests (one
     * while the queue is busy) and issue them as one list; repeat while everything was issued and
     * the scheduler has more. The scheduler is per queue: a request of another hctx (more than one
     * hardware queue) goes to that hctx's dispatch list and its queue runs.
     */
    private void doDispatchSched(Elevator e) {
        RequestList list = new RequestList();
        for (int round = 0; ; round++) {
            if (round == MAX_SCHED_ROUNDS) {
                run(true); // blk_mq_do_dispatch_sched's time limit: let others have the CPU
                return;
            }
            int max = dispatchBusy != 0 ? 1 : q.nrRequests;
            int count = 0;
            while (count < max && e.hasWork(this)) {
                Request rq = e.dispatchRequest(this);
                if (rq == null) {
                    break;
                }
                if (rq.hctx != this) {
                    rq.hctx.insertDispatch(rq, false);
                    rq.hctx.run(true);
                    continue;
                }
                list.add(rq);
                count++;
            }
            if (count == 0 || !dispatchRqList(list)) {
                return;
            }
        }
    }

    /**
     * {@code blk_mq_do_dispatch_ctx}: while the queue is busy, one request at a time from the
     * software queues in turn, so that the requests the driver cannot take yet stay where they can
     * still be merged (or, here, reordered by a later run) rather than on the dispatch list.
     */
    private void doDispatchCtx() {
        RequestList list = new RequestList();
        SwQueue[] cs = ctxs;
        if (cs.length == 0) {
            return;
        }
        int start = Math.floorMod(dispatchFrom, cs.length);
        int idle = 0;
        for (int i = start; idle < cs.length; i = (i + 1) % cs.length) {
            Request rq = cs[i].takeOne(type);
            if (rq == null) {
                idle++;
                continue;
            }
            idle = 0;
            list.add(rq);
            dispatchFrom = i + 1;
            if (!dispatchRqList(list)) {
                return;
            }
        }
    }

    /**
     * {@code blk_mq_update_dispatch_busy}: {@code ewma = (ewma * 7 + (busy ? 16 : 0)) / 8}. Returns
     * at once when idle and not busy, so the common path never writes the field. A plain racy field
     * as in C: a lost update only shifts a heuristic.
     */
    void updateDispatchBusy(boolean busy) {
        int ewma = dispatchBusy;
        if (ewma == 0 && !busy) {
            return;
        }
        ewma *= DISPATCH_BUSY_EWMA_WEIGHT - 1;
        if (busy) {
            ewma += 1 << DISPATCH_BUSY_EWMA_FACTOR;
        }
        dispatchBusy = ewma / DISPATCH_BUSY_EWMA_WEIGHT;
    }

    /** {@code hctx->dispatch_busy} (debugfs shows it). */
    public int dispatchBusy() {
        return dispatchBusy;
    }

    /** Inserts into the I/O scheduler ({@code blk_mq_insert_request} with an elevator). */
    void insertSched(Request rq, boolean atHead) {
        RequestList one = new RequestList();
        one.add(rq);
        q.elevator.insertRequests(this, one, atHead);
    }

    /** Issues the {@code hctx->dispatch} list; false when something bounced again (stop here). */
    private boolean dispatchBounced() {
        if (!dispatchNonEmpty) {
            return true;
        }
        RequestList list = new RequestList();
        synchronized (this) {
            list.addAll(dispatch);
            dispatchNonEmpty = false;
        }
        if (list.isEmpty()) {
            return true;
        }
        // Whatever bounces from here waits for a completion (DEV_RESOURCE) or a delay.
        AtomicTally.count(AtomicTally.HCTX);
        STATE.getAndBitwiseOr(this, SCHED_RESTART);
        return dispatchRqList(list);
    }

    /**
     * Without a scheduler ({@code blk_mq_flush_busy_ctxs}): each mapped context's list in turn,
     * stopping at the first bounce.
     */
    private void dispatchFromCtxs() {
        for (SwQueue c : ctxs) {
            if (c.hasPending(type)) {
                RequestList list = c.takePending(type);
                if (!list.isEmpty() && !dispatchRqList(list)) {
                    return;
                }
            }
        }
    }

    /**
     * {@code blk_mq_dispatch_rq_list}: issue {@code list} in order; stop at the first RESOURCE or
     * DEV_RESOURCE, put the rest back on the dispatch list and arrange the rerun the kernel would.
     *
     * @return true when everything was issued
     */
    boolean dispatchRqList(RequestList list) {
        int queued = 0;
        BlkStatus ret = BlkStatus.OK;
        boolean needsResource = false;
        Request rq;
        while ((rq = list.poll()) != null) {
            ret = issueDirectly(rq, list.isEmpty());
            if (ret == BlkStatus.OK) {
                queued++;
            } else if (isBounce(ret)) {
                needsResource = ret == BlkStatus.RESOURCE;
                list.addFirst(rq);
                break;
            }
        }
        if ((!list.isEmpty() || ret != BlkStatus.OK) && queued > 0) {
            commitRqs();
        }
        if (list.isEmpty()) {
            return true;
        }
        synchronized (this) {
            dispatch.addAll(list);
            dispatchNonEmpty = true;
        }
        // blk_mq_dispatch_rq_list's smp_mb: order adding to the dispatch list before reading
        // SCHED_RESTART. Pairs with schedRestart (blk_mq_sched_restart): its CAS clears the bit,
        // then its run reads the dispatch list; so either we see the bit clear and run, or the
        // restart sees our list.
        AtomicTally.count(AtomicTally.FENCE);
        VarHandle.fullFence();
        if ((state & SCHED_RESTART) == 0) {
            run(true);
        } else if (needsResource) {
            delayRun(RESOURCE_DELAY_NS);
        } else if (!hasStartedRequests()) {
            // DEV_RESOURCE with nothing in flight here: no completion will restart the queue. The
            // kernel would hang until the driver restarts it; jblk counts the stall and retries.
            AtomicTally.count(AtomicTally.HCTX);
            devResourceStalls.incrementAndGet();
            delayRun(RESOURCE_DELAY_NS);
        }
        return false;
    }

    /**
     * {@code __blk_mq_issue_directly}: queueRq once, with the bookkeeping every issuer shares. A
     * bounce (RESOURCE, DEV_RESOURCE) is counted and the request made ready to queue again; where it
     * then waits is the caller's choice. Any other error ends the request here.
     *
     * @return OK, the bounce status, or the error the request was ended with
     */
    BlkStatus issueDirectly(Request rq, boolean last) {
        BlkStatus ret = queueRq(rq, last);
        if (ret == BlkStatus.OK) {
            updateDispatchBusy(false);
            return ret;
        }
        if (isBounce(ret)) {
            AtomicTally.count(AtomicTally.HCTX);
            busyReturns.incrementAndGet();
            updateDispatchBusy(true);
            BlkMq.requeueState(rq); // __blk_mq_requeue_request
        } else {
            updateDispatchBusy(false);
            BlkMq.endRequest(rq, ret);
        }
        return ret;
    }

    /** The driver is out of resources for now: the request waits and is issued again. */
    static boolean isBounce(BlkStatus ret) {
        return ret == BlkStatus.RESOURCE || ret == BlkStatus.DEV_RESOURCE;
    }

    /**
     * Whether a submitter may issue to this queue directly ({@code blk_mq_try_issue_directly}): not
     * quiesced, not stopped, and nothing bounced waits before it (issuing past it would reorder).
     */
    boolean mayIssueDirectly() {
        return !q.isQuiesced() && !isStopped() && !dispatchNonEmpty;
    }

    /** Calls the driver's queueRq; a raw driver that throws gets the request ended with IOERR once. */
    private BlkStatus queueRq(Request rq, boolean last) {
        long before = rq.loWord();
        try {
            return set.ops.queueRq(this, rq, last);
        } catch (RuntimeException e) {
            BlkLog.driverException("queueRq (tag " + rq.tag + ")", e);
            long now = rq.lvWord();
            boolean stillOurs = RequestState.generation(now) == RequestState.generation(before)
                    && RequestState.allocated(now);
            return stillOurs ? BlkStatus.IOERR : BlkStatus.OK;
        }
    }

    void commitRqs() {
        if (set.hasCommitRqs) {
            try {
                set.ops.commitRqs(this);
            } catch (RuntimeException e) {
                BlkLog.driverException("commitRqs", e);
            }
        }
    }

    /** {@code blk_mq_request_bypass_insert}: to the tail of the dispatch list. */
    void insertDispatch(Request rq, boolean atHead) {
        synchronized (this) {
            if (atHead) {
                dispatch.addFirst(rq);
            } else {
                dispatch.add(rq);
            }
            dispatchNonEmpty = true;
        }
    }

    boolean dispatchNonEmpty() {
        return dispatchNonEmpty;
    }

    boolean restartPending() {
        return (state & SCHED_RESTART) != 0;
    }

    /**
     * {@code blk_mq_sched_restart}: a completion reruns a queue that a DEV_RESOURCE left waiting.
     * The CAS (a full fence) pairs with the fence in {@link #dispatchRqList}.
     */
    void schedRestart() {
        int s = state;
        if ((s & SCHED_RESTART) != 0
                && AtomicTally.tally(AtomicTally.HCTX, STATE.compareAndSet(this, s, s & ~SCHED_RESTART))) {
            run(true);
        }
    }

    private boolean hasStartedRequests() {
        return tags.forEachBusy(q, this, rq -> RequestState.state(rq.lvWord()) != RequestState.IDLE) != 0;
    }

    void setInactive(boolean on) {
        if (on) {
            AtomicTally.count(AtomicTally.HCTX);
            STATE.getAndBitwiseOr(this, INACTIVE);
        } else {
            AtomicTally.count(AtomicTally.HCTX);
            STATE.getAndBitwiseAnd(this, ~INACTIVE);
        }
    }

    /** Snapshot of the dispatch list for debugfs. */
    synchronized Request[] dispatchSnapshot() {
        Request[] out = new Request[dispatch.size()];
        int i = 0;
        for (Request r = dispatch.peek(); r != null && i < out.length; r = r.next) {
            out[i++] = r;
        }
        return out;
    }

    /** Takes the whole dispatch list (close and reconfiguration). */
    synchronized RequestList drainDispatch() {
        RequestList l = new RequestList();
        l.addAll(dispatch);
        dispatchNonEmpty = false;
        return l;
    }

    @Override
    public String toString() {
        return q.disk.name() + "/hctx" + queueNum;
    }
}
