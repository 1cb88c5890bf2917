package jblk.blockcore;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Models the blk-mq half of {@code struct request_queue}: the disk's hardware queues and software
 * contexts, quiesce ({@code blk_mq_quiesce_queue}) and freeze ({@code blk_mq_freeze_queue}), the
 * requeue list, the kblockd worker and the timeout scanner. The bio checks at submission are
 * {@link BioChecks}'.
 */
final class RequestQueue {
    final GenDisk disk;
    final TagSet set;
    volatile HwQueue[] hctxs = new HwQueue[0];
    /** Fair-share bookkeeping shared by all hctxs when the set has one tag space (TAG_HCTX_SHARED). */
    final ActiveShare queueShare = new ActiveShare();

    private final Object ctxLock = new Object();
    private final BitSet ctxIndices = new BitSet();
    private volatile SwQueue[] ctxs = new SwQueue[0];

    private final Object quiesceLock = new Object();
    private volatile int quiesceDepth;

    private final Object freezeLock = new Object();
    volatile int freezeDepth;
    volatile boolean dying;

    volatile boolean iostats;
    final DiskStats stats;

    final Kblockd kblockd;
    final TimeoutScanner timeoutScanner;
    /** {@code q->timeout}: when a shared-tag user may count as idle. */
    final TimeoutTimer timeoutTimer = new TimeoutTimer();
    private final RequestList requeueList = new RequestList();
    private final CoarseClock clock = new CoarseClock();

    final long timeoutMs;
    final long scanIntervalMs;

    /** {@code q->elevator}: null for none. Replaced only frozen and quiesced ({@link #switchElevator}). */
    volatile Elevator elevator;
    /** {@code q->nr_requests}: the tag set's depth without a scheduler, the scheduler tags' depth with one. */
    volatile int nrRequests;
    /** Serialises scheduler switches and nr_requests updates ({@code q->elevator_lock}). */
    private final Object elevatorLock = new Object();

    RequestQueue(GenDisk disk, TagSet set, boolean iostats) {
        this.disk = disk;
        this.set = set;
        this.iostats = iostats;
        this.stats = new DiskStats(this);
        this.timeoutMs = set.timeoutMs;
        this.scanIntervalMs = Math.max(1, Math.min(100, timeoutMs / 4));
        this.nrRequests = set.queueDepth;
        clock.set(System.nanoTime() / 1_000_000L);
        this.kblockd = new Kblockd(this);
        this.timeoutScanner = new TimeoutScanner(this);
    }

    /** Builds and initialises the hctxs (initHctx each); on failure everything is undone. */
    void initHwCtxs() {
        HwQueue[] arr = prepareHwCtxs(set.nrHwQueues);
        commitHwCtxs(arr);
    }

    void startThreads() {
        kblockd.start();
        timeoutScanner.start();
    }

    // ---- the coarse clock ("jiffies") --------------------------------------------------------

    /** Milliseconds on the queue's coarse clock, advanced by the timeout scanner; a plain load. */
    long jiffies() {
        return clock.get();
    }

    void tickJiffies(long nowMs) {
        clock.set(nowMs);
    }

    // ---- hardware contexts -------------------------------------------------------------------

    private HctxType typeOf(int hctxIdx, int nrHw, int nrPoll) {
        return hctxIdx >= nrHw - nrPoll ? HctxType.POLL : HctxType.DEFAULT;
    }

    /**
     * Builds the hctx array for {@code nrHw} queues: existing hctxs are kept, new ones are created
     * and given to the driver's initHctx. Throws (after undoing its own work) if initHctx fails.
     */
    HwQueue[] prepareHwCtxs(int nrHw) {
        HwQueue[] old = hctxs;
        HwQueue[] arr = new HwQueue[nrHw];
        int kept = Math.min(old.length, nrHw);
        System.arraycopy(old, 0, arr, 0, kept);
        int i = kept;
        try {
            for (; i < nrHw; i++) {
                ActiveShare share = set.hctxShared ? queueShare : new ActiveShare();
                HwQueue h = new HwQueue(this, i, typeOf(i, nrHw, set.nrPollQueues), set.tags(i), share);
                if (set.hasInitHctx) {
                    try {
                        h.driverData = set.ops.initHctx(h, i);
                    } catch (RuntimeException e) {
                        throw new IllegalStateException("driver initHctx failed for " + disk.name() + " hctx " + i
                                + ": " + e.getMessage(), e);
                    }
                }
                arr[i] = h;
            }
        } catch (RuntimeException e) {
            for (int j = kept; j < i; j++) {
                exitHctx(arr[j]);
            }
            throw e;
        }
        return arr;
    }

    /** Undoes {@link #prepareHwCtxs}: exits the hctxs it created. */
    void abortHwCtxs(HwQueue[] prepared) {
        HwQueue[] old = hctxs;
        for (int i = old.length; i < prepared.length; i++) {
            exitHctx(prepared[i]);
        }
    }

    /** Installs a prepared hctx array (queue frozen): exits removed hctxs and remaps the contexts. */
    void commitHwCtxs(HwQueue[] arr) {
        HwQueue[] old = hctxs;
        for (int i = arr.length; i < old.length; i++) {
            HwQueue h = old[i];
            RequestList left = h.drainDispatch();
            Request rq;
            while ((rq = left.poll()) != null) {
                BlkMq.endRequest(rq, BlkStatus.IOERR); // cannot happen frozen; never lose one
            }
            h.stopContexts();
            kblockd.forget(h);
            exitHctx(h);
        }
        for (int i = 0; i < arr.length; i++) {
            arr[i].tags = set.tags(i);
            arr[i].type = typeOf(i, arr.length, set.nrPollQueues);
        }
        Elevator e = elevator;
        if (e == null) {
            nrRequests = set.queueDepth; // without a scheduler nr_requests follows the tag set
        } else {
            for (int i = arr.length; i < old.length; i++) {
                e.exitHctx(old[i]);
                old[i].schedTags = null;
            }
            for (HwQueue h : arr) {
                if (h.schedTags == null) {
                    h.schedTags = new SchedTags(nrRequests);
                    e.initHctx(h);
                }
            }
        }
        hctxs = arr;
        remapCtxs();
    }

    // ---- the I/O scheduler (block/elevator.c, block/blk-mq-sched.c) -----------------------------

    /** {@code BLKDEV_DEFAULT_RQ}. */
    static final int BLKDEV_DEFAULT_RQ = 128;
    /** {@code BLKDEV_MIN_RQ}: nr_requests is raised to this. */
    static final int BLKDEV_MIN_RQ = 4;
    /** {@code MAX_SCHED_RQ}: the most scheduler tags per hardware queue. */
    static final int MAX_SCHED_RQ = 16 * BLKDEV_DEFAULT_RQ;

    ElevatorType elevatorType() {
        Elevator e = elevator;
        return e == null ? ElevatorType.NONE : ElevatorType.byName(e.name());
    }

    /**
     * {@code elevator_switch}: freeze (in-flight requests drain, so the old scheduler is empty) and
     * quiesce, tear the old scheduler and its tags down, set the new one up with
     * {@code nr_requests = 2 * min(queue depth, BLKDEV_DEFAULT_RQ)} ({@code blk_mq_init_sched}), or
     * the queue depth for none. Submitters wait meanwhile; none of their bios is lost or doubled.
     */
    void switchElevator(ElevatorType type) {
        synchronized (elevatorLock) {
            if (type == elevatorType()) {
                return;
            }
            freeze();
            quiesce();
            try {
                installElevator(type);
            } finally {
                unquiesce();
                unfreeze();
            }
        }
    }

    /**
     * The switch itself, on a queue that is frozen and quiesced, or not yet added (add_disk's
     * {@code elevator_set_default}, before any submitter exists).
     */
    void installElevator(ElevatorType type) {
        Elevator old = elevator;
        if (old != null) {
            for (HwQueue h : hctxs) {
                old.exitHctx(h);
                h.schedTags = null;
            }
            old.exitSched();
            elevator = null;
        }
        Elevator e = type.create(this);
        if (e == null) {
            nrRequests = set.queueDepth;
            return;
        }
        int nr = 2 * Math.min(set.queueDepth, BLKDEV_DEFAULT_RQ);
        e.initSched(nr);
        for (HwQueue h : hctxs) {
            h.schedTags = new SchedTags(nr);
            e.initHctx(h);
        }
        nrRequests = nr;
        elevator = e;
    }

    /**
     * {@code queue_requests_store} + {@code blk_mq_update_nr_requests}, frozen: below
     * {@code BLKDEV_MIN_RQ} becomes that; with a scheduler up to {@code MAX_SCHED_RQ} (new
     * scheduler tags); without one only the tag set's depth (jblk cannot shrink driver tags live).
     */
    void updateNrRequests(int nr) {
        int n = Math.max(nr, BLKDEV_MIN_RQ);
        synchronized (elevatorLock) {
            Elevator e = elevator;
            if (e == null) {
                if (n != set.queueDepth) {
                    throw new IllegalArgumentException("nr_requests " + nr + " is out of range without an I/O"
                            + " scheduler: allowed " + set.queueDepth + " (the queue depth) in jblk");
                }
                return;
            }
            if (n > MAX_SCHED_RQ) {
                throw new IllegalArgumentException("nr_requests " + nr + " is out of range: allowed "
                        + BLKDEV_MIN_RQ + ".." + MAX_SCHED_RQ);
            }
            freeze();
            try {
                for (HwQueue h : hctxs) {
                    h.schedTags = new SchedTags(n);
                }
                nrRequests = n;
                e.depthUpdated(n);
            } finally {
                unfreeze();
            }
        }
    }

    private void exitHctx(HwQueue h) {
        if (set.hasExitHctx) {
            try {
                set.ops.exitHctx(h, h.queueNum);
            } catch (RuntimeException e) {
                BlkLog.driverException("exitHctx", e);
            }
        }
    }

    // ---- software contexts -------------------------------------------------------------------

    SwQueue allocCtx() {
        synchronized (ctxLock) {
            if (dying) {
                throw new DiskClosedException(disk.name() + " is closed");
            }
            int idx = ctxIndices.nextClearBit(0);
            ctxIndices.set(idx);
            SwQueue c = new SwQueue(this, idx);
            List<SwQueue> l = new ArrayList<>(List.of(ctxs));
            l.add(c);
            ctxs = l.toArray(new SwQueue[0]);
            remapCtxs();
            return c;
        }
    }

    void releaseCtx(SwQueue c) {
        synchronized (ctxLock) {
            List<SwQueue> l = new ArrayList<>(List.of(ctxs));
            if (!l.remove(c)) {
                return;
            }
            ctxIndices.clear(c.index);
            ctxs = l.toArray(new SwQueue[0]);
            remapCtxs();
        }
        // Requests it still had queued go to their hctx, so closing a context loses none.
        for (HctxType t : HctxType.VALUES) {
            RequestList left = c.takePending(t);
            Request rq;
            while ((rq = left.poll()) != null) {
                rq.hctx.insertDispatch(rq, false);
                rq.hctx.run(true);
            }
        }
    }

    SwQueue[] ctxs() {
        return ctxs;
    }

    /** {@code blk_mq_map_swqueue}: point every context at its hctxs and every hctx at its contexts. */
    private void remapCtxs() {
        synchronized (ctxLock) {
            HwQueue[] hw = hctxs;
            if (hw.length == 0) {
                return;
            }
            for (SwQueue c : ctxs) {
                c.remap(hw);
            }
            for (HwQueue h : hw) {
                Set<SwQueue> mine = new LinkedHashSet<>();
                for (SwQueue c : ctxs) {
                    for (HwQueue m : c.hctxs) {
                        if (m == h) {
                            mine.add(c);
                        }
                    }
                }
                h.ctxs = mine.toArray(new SwQueue[0]);
                h.setInactive(mine.isEmpty());
            }
        }
    }

    // ---- bio to request (blk_mq_get_hctx_type, the flags a request keeps) ------------------------

    /** {@code blk_mq_get_hctx_type}: POLL for a polled bio when poll queues exist, READ for reads. */
    HctxType hctxType(Bio bio) {
        if ((bio.flags() & ReqFlags.POLLED) != 0 && set.nrPollQueues > 0) {
            return HctxType.POLL;
        }
        return bio.op() == ReqOp.READ ? HctxType.READ : HctxType.DEFAULT;
    }

    /** The request flags the device honours: without a write cache FUA and PREFLUSH mean nothing. */
    int effectiveFlags(int bioFlags, HctxType type) {
        int f = bioFlags;
        if (!disk.limits().writeCache()) {
            f &= ~(ReqFlags.FUA | ReqFlags.PREFLUSH);
        }
        if (type != HctxType.POLL) {
            f &= ~ReqFlags.POLLED;
        }
        return f;
    }

    // ---- quiesce -----------------------------------------------------------------------------

    boolean isQuiesced() {
        return quiesceDepth != 0;
    }

    /**
     * {@code blk_mq_quiesce_queue}: no queueRq runs once this returns, until {@link #unquiesce}.
     * It waits out every dispatch section that was open when the flag went up (the RCU grace
     * period of the kernel): submitter contexts by their sequence, other dispatchers by count.
     */
    void quiesce() {
        synchronized (quiesceLock) {
            quiesceDepth++;
        }
        for (SwQueue c : ctxs) {
            long s = c.sectionSeq();
            if ((s & 1) != 0) {
                Backoff b = new Backoff();
                while (c.sectionSeq() == s) {
                    b.idle();
                }
            }
        }
        for (HwQueue h : hctxs) {
            Backoff b = new Backoff();
            while (h.runners.get() != 0) {
                b.idle();
            }
        }
    }

    void unquiesce() {
        boolean run;
        synchronized (quiesceLock) {
            if (quiesceDepth == 0) {
                throw new IllegalStateException(disk.name() + " is not quiesced");
            }
            run = --quiesceDepth == 0;
        }
        if (run) {
            runHwQueues(true);
        }
    }

    void runHwQueues(boolean async) {
        for (HwQueue h : hctxs) {
            h.run(async);
        }
    }

    // ---- freeze ------------------------------------------------------------------------------

    /** {@code blk_freeze_queue_start} + wait: new submitters wait, in-flight I/O drains. */
    void freeze() {
        freezeStart();
        waitFrozen(Long.MAX_VALUE);
    }

    void freezeStart() {
        synchronized (freezeLock) {
            freezeDepth++;
        }
        runHwQueues(true);
    }

    /** Waits until no request of this disk holds a tag; false if {@code timeoutMs} passed first. */
    boolean waitFrozen(long timeoutMs) {
        long deadline = timeoutMs == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + timeoutMs * 1_000_000L;
        Backoff b = new Backoff();
        while (requestsHeld() != 0) {
            if (System.nanoTime() - deadline > 0 && deadline != Long.MAX_VALUE) {
                return false;
            }
            b.idle();
        }
        return true;
    }

    void unfreeze() {
        synchronized (freezeLock) {
            if (freezeDepth == 0) {
                throw new IllegalStateException(disk.name() + " is not frozen");
            }
            if (--freezeDepth == 0) {
                freezeLock.notifyAll();
            }
        }
    }

    /**
     * {@code blk_queue_enter}'s wait: uninterruptible, as the kernel's has been since commit
     * 1dc3039bc87a ("block: do not use interruptible wait anywhere"). An interrupt does not cut the
     * wait short (the bio would be lost); the flag is restored when the wait ends. A disk that
     * closes meanwhile ends it with {@link DiskClosedException}.
     */
    void waitUnfrozen() {
        boolean interrupted = false;
        synchronized (freezeLock) {
            while (freezeDepth != 0 && !dying) {
                try {
                    freezeLock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (dying) {
            throw new DiskClosedException(disk.name() + " was closed while a submitter waited for it to unfreeze");
        }
    }

    /**
     * Requests of this disk that hold a tag (the kernel's q_usage_counter). With a tag set of its
     * own that is every set bit; on a shared set the fair-share counters say which are ours.
     */
    int requestsHeld() {
        if (set.queueShared) {
            int n = 0;
            if (set.hctxShared) {
                n = queueShare.nrActive.get();
            } else {
                for (HwQueue h : hctxs) {
                    n += h.share.nrActive.get();
                }
            }
            // Requests allocated before the set became shared are not in the counters.
            return n + Tags.forEachBusy(this, rq -> !rq.countedActive);
        }
        HwQueue[] hw = hctxs;
        int n = 0;
        for (int i = 0; i < hw.length; i++) {
            Tags t = hw[i].tags;
            if (Tags.firstUser(hw, i, t)) {
                n += t.busy();
            }
        }
        return n;
    }

    /** Allocated and initialised: the tag's request carries ALLOCATED in its state word. */
    static boolean initialised(Request rq) {
        return RequestState.allocated(rq.lvWord());
    }

    /** How many requests of this disk hold a tag (stat field 9); allocates nothing. */
    int countAllocated() {
        return Tags.forEachBusy(this, RequestQueue::initialised);
    }

    /** Every allocated request of this disk (debugfs, stats, close report). */
    List<Request> allocatedRequests() {
        List<Request> out = new ArrayList<>();
        Tags.forEachBusy(this, rq -> initialised(rq) && out.add(rq));
        return out;
    }

    // ---- requeue -----------------------------------------------------------------------------

    void addToRequeueList(Request rq) {
        synchronized (requeueList) {
            requeueList.add(rq);
        }
    }

    /** The requeue work: requests go back to the head of their context's list, then queues run. */
    void requeueWork() {
        RequestList l = new RequestList();
        synchronized (requeueList) {
            l.addAll(requeueList);
        }
        Request rq;
        while ((rq = l.poll()) != null) {
            SwQueue c = rq.ctx;
            if (rq.schedTag >= 0 && elevator != null) {
                rq.hctx.insertSched(rq, true); // blk_mq_requeue_work: back to the scheduler's head
            } else if (c.closed) {
                rq.hctx.insertDispatch(rq, true);
            } else {
                c.insert(rq, true);
            }
        }
        runHwQueues(false);
    }

    int requeueListSize() {
        synchronized (requeueList) {
            return requeueList.size();
        }
    }

    Request[] requeueSnapshot() {
        synchronized (requeueList) {
            Request[] out = new Request[requeueList.size()];
            int i = 0;
            for (Request r = requeueList.peek(); r != null; r = r.next) {
                out[i++] = r;
            }
            return out;
        }
    }

    // ---- teardown (del_gendisk's queue steps, blk_mq_destroy_queue) ----------------------------

    /** First step of closing: every software context refuses new bios from now on. */
    void closeCtxs() {
        for (SwQueue c : ctxs) {
            c.closed = true;
        }
    }

    /**
     * {@code blk_queue_start_drain} and {@code blk_mq_freeze_queue_wait}, bounded: the queue
     * freezes and its in-flight I/O drains for at most {@code timeoutMs}. Returns whether it drained.
     */
    boolean drain(long timeoutMs) {
        freezeStart();
        return waitFrozen(timeoutMs);
    }

    /**
     * {@code blk_mq_destroy_queue}, after {@link #drain}: the fair share goes back at once
     * ({@code blk_mq_exit_hctx}), the queue is marked dying and submitters waiting on the freeze are
     * woken (they get {@link DiskClosedException}), the threads stop, each hctx is exited and the
     * queue leaves its tag set ({@code blk_mq_del_queue_tag_set}).
     */
    void destroy() {
        tagIdle();
        synchronized (freezeLock) {
            dying = true;
            freezeLock.notifyAll();
        }
        timeoutScanner.stop();
        kblockd.stop();
        for (HwQueue h : hctxs) {
            h.stopContexts();
        }
        for (HwQueue h : hctxs) {
            exitHctx(h);
        }
        set.detach(this);
    }

    /** {@code blk_mq_tag_idle} on every hctx (or the queue's share with one tag space). */
    void tagIdle() {
        if (set.hctxShared) {
            queueShare.markIdle(set.tags(0));
            return;
        }
        for (HwQueue h : hctxs) {
            h.share.markIdle(h.tags);
        }
    }
}
