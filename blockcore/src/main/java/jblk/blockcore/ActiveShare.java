package jblk.blockcore;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fair-share bookkeeping of a tag space shared by several disks ({@code hctx_may_queue},
 * {@code blk_mq_tag_busy}/{@code blk_mq_tag_idle}): whether this hctx (or, with one tag space for
 * all hctxs, this disk) is marked active, and how many requests it holds. Only maintained while the
 * tag set is shared (TAG_QUEUE_SHARED), as in the kernel, where it costs an atomic per request.
 */
final class ActiveShare {
    /** The kernel's minimum share, whatever the number of users. */
    static final int MIN_SHARE = 4;

    final AtomicInteger nrActive = new AtomicInteger();
    private volatile boolean active;

    boolean isActive() {
        return active;
    }

    /** {@code blk_mq_tag_busy}. */
    void markActive(Tags tags) {
        if (!active) {
            synchronized (this) {
                if (!active) {
                    active = true;
                    tags.activeQueues.incrementAndGet();
                }
            }
        }
    }

    /** {@code blk_mq_tag_idle}: give the share back and let waiters recompute theirs. */
    void markIdle(Tags tags) {
        synchronized (this) {
            if (active) {
                active = false;
                tags.activeQueues.decrementAndGet();
                tags.bitmapTags.wakeAll();
            }
        }
    }

    /** {@code hctx_may_queue}: may this queue take another normal tag from {@code tags}? */
    boolean mayQueue(Tags tags) {
        markActive(tags);
        int users = tags.activeQueues.get();
        if (users <= 1) {
            return true;
        }
        int depth = Math.max((tags.bitmapTags.depth() + users - 1) / users, MIN_SHARE);
        return nrActive.get() < depth;
    }
}
