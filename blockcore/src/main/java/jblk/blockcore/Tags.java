package jblk.blockcore;

import java.util.concurrent.atomic.AtomicInteger;
import jblk.sbitmap.SBitmapQueue;

/**
 * Models {@code struct blk_mq_tags}: one tag space (per hardware queue, or one for all of them with
 * TAG_HCTX_SHARED) with its request cache ({@code static_rqs}). Tags {@code [0, nrReserved)} come
 * from the reserved bitmap, the rest from the normal one, as in {@code blk_mq_init_tags}.
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

    Tags(TagSet set, int hctxIdx, int nrTags, int nrReservedTags) {
        this.set = set;
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
        if (reserved) {
            return breservedTags.get(hint);
        }
        int bit = bitmapTags.get(hint);
        return bit < 0 ? -1 : bit + nrReservedTags;
    }

    void putTag(int tag) {
        putTag(tag, true);
    }

    /** {@code blk_mq_put_tag}; {@code local}: freed by the submitting thread itself. */
    void putTag(int tag, boolean local) {
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
}
