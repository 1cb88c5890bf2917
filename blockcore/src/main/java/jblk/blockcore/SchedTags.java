package jblk.blockcore;

import jblk.blockcore.sbitmap.SBitmapQueue;

/**
 * Models {@code hctx->sched_tags} (block/blk-mq-sched.c, {@code blk_mq_sched_alloc_map_and_rqs}):
 * the scheduler's own tag space of {@code nr_requests} per hardware queue, so a scheduler can hold
 * more requests than the device has tags. jblk differs in one point: a request still takes its
 * driver tag at allocation rather than at dispatch ({@code blk_mq_get_driver_tag}), because
 * jblk's requests are the driver tags' preallocated requests; the scheduler tag is an extra limit,
 * and the effective depth is min(nr_requests, queue depth).
 */
final class SchedTags {
    final int nrRequests;
    final SBitmapQueue bitmap;

    SchedTags(int nrRequests) {
        this.nrRequests = nrRequests;
        this.bitmap = new SBitmapQueue(nrRequests);
    }

    /**
     * {@code blk_mq_get_tag} on the scheduler tags with the scheduler's {@code shallow_depth}:
     * -1 when none is free within {@code depth}.
     */
    int get(int hint, int depth) {
        if (depth < nrRequests && bitmap.weight() >= depth) {
            return -1; // limit_depth: async requests leave tags for sync reads
        }
        return bitmap.get(hint);
    }

    void put(int tag) {
        bitmap.clear(tag);
    }

    int busy() {
        return bitmap.weight();
    }

    /**
     * The sleep of {@code blk_mq_get_tag} when no scheduler tag was free: register, look once more,
     * park for a bounded time. The caller retries; the disk may have closed meanwhile.
     */
    void waitForTag(HwQueue hctx, int depth) {
        hctx.run(false);
        bitmap.prepareToWait();
        try {
            // The volatile waiters store in prepareToWait, then this volatile weight read: pairs with
            // SBitmapQueue.clear (atomic clear, then its waiters read), as in Tags.waitForTag.
            if (bitmap.weight() >= Math.min(depth, nrRequests)) {
                bitmap.park(1_000_000L);
            }
        } finally {
            bitmap.finishWait();
        }
        if (hctx.q.dying) {
            throw new DiskClosedException(hctx.q.disk.name()
                    + " was closed while a submitter waited for a scheduler tag");
        }
    }
}
