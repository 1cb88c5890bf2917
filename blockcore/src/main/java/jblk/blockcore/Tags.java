package jblk.blockcore;

import java.util.concurrent.atomic.AtomicInteger;
import jblk.blockcore.sbitmap.SBitmapQueue;

/**
 * Models {@code struct blk_mq_tags}: one tag space (per hardware queue, or one for all of them with
 * TAG_HCTX_SHARED) with its request cache ({@code static_rqs}). Tags {@code [0, nrReserved)} come
 * from the reserved bitmap, the rest from the normal one, as in {@code blk_mq_init_tags}. What
 * block/blk-mq-tag.c does with them is here too: iterating the busy tags and waiting for a free one.
 */
public final class Tags {
    final TagSet set;
    /** The hw queue index the requests were initialised for (initRequest's hctx_idx). */
    final int hctxIdx;
    final int nrTags;
    final int nrReservedTags;
    final SBitmapQueue bitmapTags;
    final SBitmapQueue breservedTags;
    final Request[] staticRqs;
    /** Request queues (hctxs) currently marked active on this tag space, for the fair share. */
    final AtomicInteger activeQueues = new AtomicInteger();
    /** The set's hazard pointers, or null: iterators take {@code rq->ref} (the kernel's way). */
    final HazardPointers hazards;

    Tags(TagSet set, int hctxIdx, int nrTags, int nrReservedTags) {
        this.set = set;
        this.hazards = set.hazards;
        this.hctxIdx = hctxIdx;
        this.nrTags = nrTags;
        this.nrReservedTags = nrReservedTags;
        this.bitmapTags = new SBitmapQueue(nrTags - nrReservedTags);
        this.breservedTags = new SBitmapQueue(nrReservedTags);
        this.staticRqs = new Request[nrTags];
        for (int t = 0; t < nrTags; t++) {
            staticRqs[t] = new Request(this, t);
        }
    }

    public int nrTags() {
        return nrTags;
    }

    public int nrReservedTags() {
        return nrReservedTags;
    }

    /** {@code blk_mq_tag_to_rq}: the request cached for {@code tag}, allocated or not. */
    public Request tagToRq(int tag) {
        return staticRqs[tag];
    }

    /** Tags currently allocated (normal + reserved). */
    public int busy() {
        return bitmapTags.weight() + breservedTags.weight();
    }

    int getTag(int hint, boolean reserved) {
        int tag = getTagNoScan(hint, reserved);
        if (hazards == null || tag < 0 || !hazards.isProtected(staticRqs[tag])) {
            return tag;
        }
        return getUnpinned(tag, reserved);
    }

    private int getTagNoScan(int hint, boolean reserved) {
        AtomicTally.count(AtomicTally.TAG_GET); // sbitmap's CAS (a contended retry is not seen here)
        if (reserved) {
            return breservedTags.get(hint);
        }
        int bit = bitmapTags.get(hint);
        return bit < 0 ? -1 : bit + nrReservedTags;
    }

    /**
     * The scan before reuse found {@code pinned}'s request published in a hazard pointer: it keeps
     * its identity until released. Holding it, try the next free tag (so the search moves on), then
     * give it back; -1 when that one is pinned too (the caller waits and tries again, as for a full
     * bitmap). Out of line: the hot path stays small.
     */
    private int getUnpinned(int pinned, boolean reserved) {
        int next = getTagNoScan(reserved ? pinned + 1 : pinned - nrReservedTags + 1, reserved);
        putTag(pinned, true);
        if (next >= 0 && hazards.isProtected(staticRqs[next])) {
            putTag(next, true);
            return -1;
        }
        return next;
    }

    void putTag(int tag) {
        putTag(tag, true);
    }

    /** {@code blk_mq_put_tag}; {@code local}: freed by the submitting thread itself. */
    void putTag(int tag, boolean local) {
        AtomicTally.count(AtomicTally.TAG_PUT);
        if (tag >= nrReservedTags) {
            bitmapTags.clear(tag - nrReservedTags, local);
        } else {
            breservedTags.clear(tag, local);
        }
    }

    boolean isAllocated(int tag) {
        return tag >= nrReservedTags ? bitmapTags.isSet(tag - nrReservedTags) : breservedTags.isSet(tag);
    }

    SBitmapQueue bitmapFor(boolean reserved) {
        return reserved ? breservedTags : bitmapTags;
    }

    // ---- busy iteration (blk_mq_queue_tag_busy_iter) -------------------------------------------

    /**
     * {@code busy_tag_iter_fn}: called for one request that holds a tag. Unlike the kernel's, whose
     * answer ends the walk early, the answer here says whether {@code rq} counts: every walk in
     * jblk counts or visits all, and a count through a non-capturing function allocates nothing.
     */
    @FunctionalInterface
    interface BusyIter {
        boolean visit(Request rq);
    }

    /**
     * {@code bt_for_each}: calls {@code fn} for each tag held by a request of {@code q} (and of
     * {@code hctx}, unless null), in tag order; returns how many {@code fn} counted. A request seen
     * here may be between its tag allocation and its initialisation, or being freed: check its
     * state word when that matters.
     */
    int forEachBusy(RequestQueue q, HwQueue hctx, BusyIter fn) {
        if (hazards != null) {
            return forEachBusyPinned(q, hctx, fn);
        }
        int n = 0;
        for (int tag = 0; tag < nrTags; tag++) {
            Request rq = findAndGetReq(tag);
            if (rq == null) {
                continue;
            }
            try {
                if (rq.q == q && (hctx == null || rq.hctx == hctx) && fn.visit(rq)) {
                    n++;
                }
            } finally {
                putRqRef(rq);
            }
        }
        return n;
    }

    /** {@link #forEachBusy} with each request pinned by a hazard pointer instead of {@code rq->ref}. */
    private int forEachBusyPinned(RequestQueue q, HwQueue hctx, BusyIter fn) {
        int n = 0;
        for (int tag = 0; tag < nrTags; tag++) {
            if (!isAllocated(tag)) {
                continue;
            }
            Request rq = staticRqs[tag];
            int slot = hazards.protect(rq);
            if (slot < 0) {
                continue;
            }
            try {
                if (rq.q == q && (hctx == null || rq.hctx == hctx) && fn.visit(rq)) {
                    n++;
                }
            } finally {
                hazards.release(slot);
            }
        }
        return n;
    }

    /**
     * {@code blk_mq_find_and_get_req}: the request holding {@code tag}, with a reference taken
     * ({@code req_ref_inc_not_zero}), or null when the tag is free or its request is being freed or
     * not yet initialised (its {@code rq->ref} is 0). The caller drops it with {@link #putRqRef}.
     */
    Request findAndGetReq(int tag) {
        if (!isAllocated(tag)) {
            return null;
        }
        Request rq = staticRqs[tag];
        return rq.refIncNotZero() ? rq : null;
    }

    /**
     * {@code blk_mq_put_rq_ref}: drops an iterator's reference; if the request was ended meanwhile
     * this was the last one, and the iterator frees it ({@code __blk_mq_free_request}).
     */
    static void putRqRef(Request rq) {
        if (rq.refPutAndTest()) {
            BlkMq.freeRequestTag(rq);
        }
    }

    /**
     * {@code blk_mq_queue_tag_busy_iter}: {@link #forEachBusy(RequestQueue, HwQueue, BusyIter)} over
     * every tag space of {@code q}, each once; allocates nothing.
     */
    static int forEachBusy(RequestQueue q, BusyIter fn) {
        HwQueue[] hw = q.hctxs;
        int n = 0;
        for (int i = 0; i < hw.length; i++) {
            Tags t = hw[i].tags;
            if (firstUser(hw, i, t)) {
                n += t.forEachBusy(q, null, fn);
            }
        }
        return n;
    }

    /** Whether {@code hw[i]} is the first of {@code hw} on tag space {@code t} (with TAG_HCTX_SHARED all share one). */
    static boolean firstUser(HwQueue[] hw, int i, Tags t) {
        for (int j = 0; j < i; j++) {
            if (hw[j].tags == t) {
                return false;
            }
        }
        return true;
    }

    // ---- waiting for a tag (blk_mq_get_tag) ----------------------------------------------------

    /**
     * {@code blk_mq_get_tag}'s sleep, after an allocation found no free tag: run {@code hctx} (its
     * completions free tags), spin briefly, then park on the bitmap's wait queue until a tag is
     * cleared or a bounded time passes. The caller tries again. On a shared set the fair share may
     * refuse us while bits are free, so we always park there. Throws
     * {@link DiskClosedException} when the disk closed meanwhile.
     */
    void waitForTag(HwQueue hctx) {
        hctx.run(false);
        SBitmapQueue bt = bitmapTags;
        for (int spin = 0; spin < 64; spin++) {
            if (bt.weight() < bt.depth() && !set.queueShared) {
                return;
            }
            Thread.onSpinWait();
        }
        bt.prepareToWait();
        try {
            if (bt.weight() >= bt.depth() || set.queueShared) {
                bt.park(1_000_000L);
            }
        } finally {
            bt.finishWait();
        }
        RequestQueue q = hctx.q;
        if (q.dying) {
            throw new DiskClosedException(q.disk.name() + " was closed while a submitter waited for a tag");
        }
    }
}
