package jblk.blockcore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import jblk.blockcore.sbitmap.SBitmapQueue;

/**
 * Models {@code struct blk_mq_ctx} (the per-CPU software queue) together with the submitter's
 * {@code struct blk_plug}: a submitting context, opened with {@link GenDisk#openQueue()}, that
 * {@link #submitBio submits bios} ({@code submit_bio}) and maps to one hardware queue per
 * {@link HctxType}. One thread submits through it at a time, as one task runs on a CPU.
 *
 * <p>Requests that cannot be issued at once (the hctx is stopped, quiesced or has a backlog) wait
 * on this context's list for their hctx ({@code ctx->rq_lists}) until the queue runs.
 */
public final class SwQueue extends SwQueuePad2 implements AutoCloseable {
    /** {@code BLK_MAX_REQUEST_COUNT}: a plug is flushed when it holds this many requests. */
    public static final int PLUG_MAX_REQUESTS = 32;

    private static final VarHandle SEQ;
    private static final VarHandle PENDING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SEQ = l.findVarHandle(SwQueueFields.class, "dispatchSeq", long.class);
            PENDING = l.findVarHandle(SwQueueFields.class, "pendingMask", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    SwQueue(RequestQueue q, int index) {
        super(q, index);
    }

    /** The "CPU" number of this context: its index among the disk's open contexts. */
    public int index() {
        return index;
    }

    public GenDisk disk() {
        return q.disk;
    }

    /** The hardware queue this context uses for {@code type}. */
    public HwQueue hctx(HctxType type) {
        return hctxs[type.ordinal()];
    }

    // ---- submission ----------------------------------------------------------------------

    /**
     * {@code submit_bio}: turn {@code bio} into a request and issue it, or add it to the plug.
     * The bio's callback runs exactly once, on whatever thread completes it (possibly this one,
     * before this method returns).
     *
     * <p>Errors: a malformed bio (a caller bug: no callback, a data op without a big enough buffer,
     * FLUSH with data, unknown flags) throws {@link IllegalArgumentException} and nothing is
     * submitted. A bio the device cannot serve (past the capacity, misaligned, too large, an
     * unsupported op) completes through its callback with an error status and
     * {@link Bio#errorDetail()}. A closed disk (also one closed while this call waited) throws {@link
     * DiskClosedException}; an
     * interrupt does not end a wait (the flag is kept for the caller). With
     * {@link ReqFlags#NOWAIT} and no free tag the bio completes with {@link BlkStatus#AGAIN}.
     */
    public void submitBio(Bio bio) {
        if (closed) {
            throw new DiskClosedException("software queue " + index + " of " + q.disk.name() + " is closed");
        }
        if (!BioChecks.check(q.disk, bio)) {
            return;
        }
        DiskZones zones = q.disk.zones;
        if (zones != null && zones.plugBio(bio)) {
            return; // plugged behind its zone's write in flight, or refused
        }
        HctxType type = q.hctxType(bio);
        if (owner != Thread.currentThread()) {
            owner = Thread.currentThread();
        }
        if (plugged) {
            Request rq = getRequest(bio, type, false);
            if (rq != null) {
                plugList.add(rq);
                if (plugList.size() >= PLUG_MAX_REQUESTS) {
                    flushPlug();
                }
            }
            return;
        }
        enterSection();
        try {
            Request rq = getRequest(bio, type, true);
            if (rq != null) {
                issue(rq);
            }
        } finally {
            exitSection();
        }
    }

    /** {@code blk_mq_try_issue_directly}, or insert and run when the queue cannot take it now. */
    private void issue(Request rq) {
        HwQueue hctx = rq.hctx;
        if (rq.schedTag >= 0) {
            // RQF_USE_SCHED: the scheduler decides the order. The kernel's unplugged submit_bio runs
            // the queue async (kblockd); jblk runs it here, as the plugged path does (from_schedule
            // false): a submitter then sees its queue run, as with none. docs/KERNEL-FIDELITY.md.
            hctx.insertSched(rq, false);
            hctx.run(false);
            return;
        }
        if (hctx.dispatchBusy != 0 && (q.hctxs.length == 1 || !isSync(rq))) {
            // A busy queue: the request waits in the software queue for the one-at-a-time dispatch.
            insert(rq, false);
            hctx.run(true);
            return;
        }
        if (!hctx.mayIssueDirectly()) {
            insert(rq, false);
            hctx.run(false);
            return;
        }
        if (HwQueue.isBounce(hctx.issueDirectly(rq, true))) {
            hctx.insertDispatch(rq, false);
            hctx.run(false);
        }
    }

    /** {@code op_is_sync}: reads, and writes marked SYNC, FUA or PREFLUSH. */
    private static boolean isSync(Request rq) {
        return rq.op == ReqOp.READ || (rq.cmdFlags & (ReqFlags.SYNC | ReqFlags.FUA | ReqFlags.PREFLUSH)) != 0;
    }

    /**
     * Allocates and initialises a request for {@code bio} ({@code __blk_mq_alloc_requests} and
     * {@code blk_mq_rq_ctx_init}); waits for a tag unless the bio is NOWAIT, and waits while the
     * queue is frozen. Returns null when the bio was completed instead (AGAIN).
     */
    private Request getRequest(Bio bio, HctxType type, boolean inSection) {
        while (true) {
            if (q.freezeDepth != 0 && !q.dying && !enterFrozen(bio, inSection)) {
                return null;
            }
            HwQueue hctx = hctxs[type.ordinal()];
            SchedTags st = hctx.schedTags;
            int schedTag = -1;
            if (st != null) {
                schedTag = getSchedTag(bio, hctx, st, inSection);
                if (schedTag < 0) {
                    if (schedTag == NO_TAG_COMPLETED) {
                        return null;
                    }
                    continue;
                }
            }
            Tags tags = hctx.tags;
            int hintIdx = hctx.type.ordinal();
            boolean shared = q.set.queueShared;
            int tag = -1;
            if (!shared || hctx.share.mayQueue(tags)) {
                tag = tags.getTag(hints[hintIdx], false);
            }
            if (tag < 0) {
                if (st != null) {
                    st.put(schedTag);
                }
                if (!noTag(bio, hctx, tags, inSection)) {
                    return null;
                }
                continue;
            }
            if (shared) {
                AtomicTally.count(AtomicTally.HCTX);
                hctx.share.nrActive.incrementAndGet();
            }
            // blk_queue_enter: the tag CAS above and this volatile read are both sequentially
            // consistent, so a freezer that saw our tag free sees us back off here (pairs with
            // RequestQueue.freezeStart's freezeDepth store, then waitFrozen's bitmap reads). And a
            // reconfiguration may have run entirely between our reading the hctx and the CAS:
            // then the tag came from a tag space that is gone.
            if (q.freezeDepth != 0 || q.dying || hctxs[type.ordinal()] != hctx || hctx.tags != tags
                    || hctx.schedTags != st) {
                if (st != null) {
                    st.put(schedTag);
                }
                if (!backOff(bio, hctx, tags, tag, shared, inSection)) {
                    return null;
                }
                continue;
            }
            int bit = tag - tags.nrReservedTags;
            if (bit == hints[hintIdx]) {
                hints[hintIdx] = bit + 1;
            }
            Request rq = tags.staticRqs[tag];
            initRequest(rq, hctx, bio, shared);
            rq.schedTag = schedTag;
            return rq;
        }
    }

    /** {@link #getSchedTag}: no tag, and the bio was completed (NOWAIT) rather than waited for. */
    private static final int NO_TAG_COMPLETED = -2;

    /**
     * A scheduler tag ({@code blk_mq_get_tag} on {@code sched_tags}, limited by the scheduler's
     * {@code limit_depth}): the tag; or -1 after waiting for one (the caller starts over, the queue
     * may have changed meanwhile); or {@link #NO_TAG_COMPLETED} for a NOWAIT bio, completed with AGAIN.
     */
    private int getSchedTag(Bio bio, HwQueue hctx, SchedTags st, boolean inSection) {
        Elevator e = q.elevator;
        int depth = e == null ? st.nrRequests : e.limitDepth(bio.op(), bio.flags(), st.nrRequests);
        int t = st.get(0, depth);
        if (t >= 0) {
            return t;
        }
        if ((bio.flags() & ReqFlags.NOWAIT) != 0) {
            bio.complete(BlkStatus.AGAIN, 0, "no free scheduler tag on " + hctx + " and the bio is NOWAIT");
            BlkMq.callEndIo(bio);
            return NO_TAG_COMPLETED;
        }
        if (inSection) {
            exitSection();
        }
        try {
            if (plugged && !plugList.isEmpty()) {
                flushPlug();
            }
            st.waitForTag(hctx, depth);
        } finally {
            if (inSection) {
                enterSection();
            }
        }
        return -1;
    }

    /**
     * The queue is frozen ({@code blk_queue_enter} before the tag, as the kernel does; the check
     * after the tag CAS is what makes it exact): wait, or complete a NOWAIT bio with AGAIN.
     * Returns false when the bio was completed. Out of line: the hot path stays small.
     */
    private boolean enterFrozen(Bio bio, boolean inSection) {
        if ((bio.flags() & ReqFlags.NOWAIT) != 0) {
            bio.complete(BlkStatus.AGAIN, 0, q.disk.name() + " is frozen and the bio is NOWAIT");
            BlkMq.callEndIo(bio);
            return false;
        }
        waitUnfrozen(inSection);
        return true;
    }

    /** Gives back a tag taken while the queue froze or was reconfigured; false if the bio was completed. */
    private boolean backOff(Bio bio, HwQueue hctx, Tags tags, int tag, boolean shared, boolean inSection) {
        if (shared) {
            AtomicTally.count(AtomicTally.HCTX);
            hctx.share.nrActive.decrementAndGet();
        }
        tags.putTag(tag);
        if (q.freezeDepth != 0 || q.dying) {
            if (q.dying) {
                waitUnfrozen(inSection); // throws: the disk is closed
            }
            return enterFrozen(bio, inSection);
        }
        return true;
    }

    /** No tag: a NOWAIT bio completes with AGAIN (false); anything else waits for one (true). */
    private boolean noTag(Bio bio, HwQueue hctx, Tags tags, boolean inSection) {
        if ((bio.flags() & ReqFlags.NOWAIT) != 0) {
            bio.complete(BlkStatus.AGAIN, 0, "no free tag on " + hctx + " and the bio is NOWAIT");
            BlkMq.callEndIo(bio);
            return false;
        }
        waitForTag(hctx, tags, inSection);
        return true;
    }


    private void initRequest(Request rq, HwQueue hctx, Bio bio, boolean countedActive) {
        rq.q = q;
        rq.hctx = hctx;
        rq.ctx = this;
        rq.op = bio.op();
        rq.cmdFlags = q.effectiveFlags(bio.flags(), hctx.type);
        if ((rq.cmdFlags & ReqFlags.POLLED) != 0) {
            bio.cookie = hctx.queueNum;
        }
        rq.sector = bio.sector();
        rq.nrBytes = bio.size();
        rq.bio = bio;
        rq.next = null;
        rq.reserved = false;
        rq.countedActive = countedActive;
        rq.bytesDone = -1;
        rq.elvSeq = 0;
        rq.allocMs = q.jiffies();
        rq.startTimeNs = 0; // RQF_IO_STAT is decided here, at allocation
        if (q.iostats) {
            long now;
            if (plugged) {
                if (plugTimeNs == 0) {
                    plugTimeNs = System.nanoTime();
                }
                now = plugTimeNs;
            } else {
                now = System.nanoTime();
            }
            rq.startTimeNs = now;
            q.stats.accountStart(rq);
        }
        rq.refSet(1); // req_ref_set(rq, 1) in blk_mq_rq_ctx_init; published by the release store below
        long w = rq.loWord();
        rq.soWord(RequestState.nextGeneration(w));
    }

    /**
     * Waits for a tag ({@link Tags#waitForTag}) outside the dispatch section, so a quiesce need not
     * wait for us; first flushes the plug, as {@code io_schedule} does, since our own plugged
     * requests may be what holds the tags.
     */
    private void waitForTag(HwQueue hctx, Tags tags, boolean inSection) {
        if (inSection) {
            exitSection();
        }
        try {
            if (plugged && !plugList.isEmpty()) {
                flushPlug();
            }
            tags.waitForTag(hctx);
        } finally {
            if (inSection) {
                enterSection();
            }
        }
    }

    private void waitUnfrozen(boolean inSection) {
        if (inSection) {
            exitSection();
        }
        try {
            q.waitUnfrozen();
        } finally {
            if (inSection) {
                enterSection();
            }
        }
    }

    // ---- plugging ----------------------------------------------------------------------------

    /** {@code blk_start_plug}: hold requests back and issue them as a batch. */
    public void startPlug() {
        plugged = true;
        plugTimeNs = 0;
    }

    /** {@code blk_finish_plug}: issue what the plug holds and stop plugging. */
    public void finishPlug() {
        flushPlug();
        plugged = false;
    }

    public boolean isPlugged() {
        return plugged;
    }

    /**
     * {@code blk_mq_flush_plug_list}: hand the batch to the driver's queueRqs if it has one (and the
     * queue is not quiesced), then issue what is left one by one with {@code last} set on the final
     * request, calling commitRqs when a batch ends without one.
     */
    public void flushPlug() {
        plugTimeNs = 0;
        if (plugList.isEmpty()) {
            return;
        }
        RequestList list = plugList;
        enterSection();
        // No tag CAS follows the entry here, so fence it explicitly: orders enterSection's store
        // before the isQuiesced read below. Pairs with RequestQueue.quiesce (its quiesceDepth store,
        // then its sectionSeq reads).
        AtomicTally.count(AtomicTally.FENCE);
        VarHandle.fullFence();
        try {
            if (q.elevator != null && list.peek().schedTag >= 0) {
                insertPlugSched(list);
                return;
            }
            if (q.set.hasQueueRqs && !q.isQuiesced() && !anyStoppedOrBusy(list)) {
                try {
                    q.set.ops.queueRqs(list);
                } catch (RuntimeException e) {
                    BlkLog.driverException("queueRqs", e);
                }
            }
            if (!list.isEmpty()) {
                issueList(list);
            }
        } finally {
            exitSection();
        }
    }

    /**
     * {@code blk_mq_dispatch_list} with an elevator: the plug's requests go to the scheduler as one
     * batch ({@code insert_requests}), then their queues run in this thread.
     */
    private void insertPlugSched(RequestList list) {
        HwQueue[] hw = q.hctxs;
        Request first = list.peek();
        RequestList batch = new RequestList();
        Request rq;
        while ((rq = list.poll()) != null) {
            if (rq.schedTag < 0) {
                insert(rq, false); // allocated before the scheduler came: cannot happen frozen, never lose one
            } else {
                batch.add(rq);
            }
        }
        q.elevator.insertRequests(first.hctx, batch, false);
        // The batch's own hctx first (blk_mq_dispatch_list runs this_hctx): the scheduler is per
        // queue, and another hctx's run would hand these requests over through kblockd.
        first.hctx.run(false);
        for (HwQueue h : hw) {
            if (h != first.hctx) {
                h.run(false);
            }
        }
    }

    private boolean anyStoppedOrBusy(RequestList list) {
        for (Request r = list.peek(); r != null; r = r.next) {
            if (r.hctx.isStopped() || r.hctx.dispatchNonEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** {@code blk_mq_issue_direct}: one by one; a bounce stops the batch and queues the rest. */
    private void issueList(RequestList list) {
        HwQueue hctx = null;
        int queued = 0;
        BlkStatus ret = BlkStatus.OK;
        Request rq;
        while ((rq = list.poll()) != null) {
            if (hctx != rq.hctx) {
                if (hctx != null && queued > 0) {
                    hctx.commitRqs();
                }
                hctx = rq.hctx;
                queued = 0;
            }
            if (!hctx.mayIssueDirectly()) {
                insert(rq, false);
                hctx.run(false);
                continue;
            }
            ret = hctx.issueDirectly(rq, list.isEmpty());
            if (ret == BlkStatus.OK) {
                queued++;
            } else if (HwQueue.isBounce(ret)) {
                hctx.insertDispatch(rq, false);
                while ((rq = list.poll()) != null) {
                    insert(rq, false);
                }
                hctx.run(false);
                break;
            }
        }
        if (ret != BlkStatus.OK && queued > 0) {
            hctx.commitRqs();
        }
    }

    // ---- polling ---------------------------------------------------------------------------

    /**
     * {@code bio_poll}: reap completions on the poll queue {@code bio} was sent to by calling the
     * driver's poll once. Returns how many requests completed (0 when the bio was not polled, the
     * driver has no poll callback, or nothing was ready).
     */
    public int poll(Bio bio) {
        return poll(bio, pollBatch);
    }

    /**
     * {@code bio_poll} with the caller's {@link IoCompBatch} (io_uring's iopoll passes one, a
     * synchronous poller none): the driver may gather finished requests on {@code iob}, which are
     * then ended together ({@code iob.complete}). With {@code iob} null every request is ended on
     * its own, as {@code blk_mq_add_to_batch} refuses then.
     */
    public int poll(Bio bio, IoCompBatch iob) {
        int cookie = bio.cookie;
        if (cookie < 0 || !q.set.hasPoll) {
            return 0;
        }
        HwQueue[] hw = q.hctxs;
        if (cookie >= hw.length) {
            return 0;
        }
        int n;
        try {
            n = q.set.ops.poll(hw[cookie], iob);
        } catch (RuntimeException e) {
            BlkLog.driverException("poll", e);
            n = 0;
        }
        if (iob != null) {
            iob.complete(); // io_do_iopoll: if (!rq_list_empty(iob.req_list)) iob.complete(&iob)
        }
        return n;
    }

    // ---- the context's inserted-request lists ------------------------------------------------

    /** {@code blk_mq_insert_request}: park {@code rq} here until its hctx runs. */
    void insert(Request rq, boolean atHead) {
        int t = rq.hctx.type.ordinal();
        synchronized (pending) {
            if (closed) {
                rq.hctx.insertDispatch(rq, atHead);
                return;
            }
            if (atHead) {
                pending[t].addFirst(rq);
            } else {
                pending[t].add(rq);
            }
            AtomicTally.count(AtomicTally.CTX);
            PENDING.getAndBitwiseOr(this, 1 << t);
        }
    }

    boolean hasPending(HctxType type) {
        return (pendingMask & (1 << type.ordinal())) != 0;
    }

    /** {@code blk_mq_dequeue_from_ctx}: the oldest request waiting here for {@code type}, or null. */
    Request takeOne(HctxType type) {
        if (!hasPending(type)) {
            return null;
        }
        synchronized (pending) {
            RequestList l = pending[type.ordinal()];
            Request rq = l.poll();
            if (l.isEmpty()) {
                AtomicTally.count(AtomicTally.CTX);
                PENDING.getAndBitwiseAnd(this, ~(1 << type.ordinal()));
            }
            return rq;
        }
    }

    RequestList takePending(HctxType type) {
        RequestList l = new RequestList();
        synchronized (pending) {
            l.addAll(pending[type.ordinal()]);
            AtomicTally.count(AtomicTally.CTX);
            PENDING.getAndBitwiseAnd(this, ~(1 << type.ordinal()));
        }
        return l;
    }

    /** The requests waiting here for their {@code type} hctx, in order (debugfs). */
    Request[] pendingSnapshot(HctxType type) {
        synchronized (pending) {
            RequestList l = pending[type.ordinal()];
            Request[] out = new Request[l.size()];
            int i = 0;
            for (Request r = l.peek(); r != null && i < out.length; r = r.next) {
                out[i++] = r;
            }
            return out;
        }
    }

    int pendingCount() {
        synchronized (pending) {
            int n = 0;
            for (RequestList l : pending) {
                n += l.size();
            }
            return n;
        }
    }

    // ---- dispatch sections (what quiesce waits for) ------------------------------------------

    /**
     * Enters a dispatch section: the RCU read side of {@code hctx_lock}. An odd sequence means
     * "inside". The store is ordered before our quiesce check by the tag CAS that follows it
     * (a full fence), or by an explicit fence where no CAS follows; {@link RequestQueue#quiesce()}
     * waits until every context it saw inside has left.
     */
    void enterSection() {
        SEQ.setOpaque(this, dispatchSeq + 1);
    }

    void exitSection() {
        SEQ.setRelease(this, dispatchSeq + 1);
    }

    long sectionSeq() {
        return (long) SEQ.getVolatile(this);
    }

    void remap(HwQueue[] all) {
        HwQueue[] h = new HwQueue[HctxType.VALUES.length];
        for (HctxType t : HctxType.VALUES) {
            h[t.ordinal()] = all[q.set.map(t).hctxFor(index)];
        }
        hctxs = h;
    }

    /** Flushes the plug and releases this context (its "CPU" number may be reused). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (plugged || !plugList.isEmpty()) {
            finishPlug();
        }
        synchronized (pending) {
            closed = true;
        }
        q.releaseCtx(this);
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return q.disk.name() + "/ctx" + index;
    }
}
