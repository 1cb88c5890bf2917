package jblk.nullblk;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Predicate;
import jblk.blockcore.HctxType;
import jblk.blockcore.HwQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Models {@code struct nullb_queue}: null_blk's per-hardware-queue data: whether it is a poll
 * queue, its poll list ({@code poll_list} under {@code poll_lock}) and the requeue-injection
 * selector that alternates RESOURCE and a driver requeue.
 */
public final class NullQueue {
    final NullBlkEngine engine;
    final HwQueue hctx;
    private final AtomicInteger requeueSelection = new AtomicInteger();
    /** Requests (blockcore Request or RequestRef) parked for poll(); guarded by itself. */
    private final ArrayDeque<Object> pollList;

    NullQueue(NullBlkEngine engine, HwQueue hctx) {
        this.engine = engine;
        this.hctx = hctx;
        this.pollList = new ArrayDeque<>(hctx.tags().nrTags());
    }

    /** A poll queue ({@code hctx->type == HCTX_TYPE_POLL}); may change when queues are remapped. */
    boolean isPoll() {
        return hctx.type() == HctxType.POLL;
    }

    /** {@code should_requeue_request}'s alternation: odd hits return RESOURCE, even ones requeue. */
    boolean nextRequeueIsResource() {
        return (requeueSelection.incrementAndGet() & 1) != 0;
    }

    void addPoll(Object rq) {
        synchronized (pollList) {
            pollList.addLast(rq);
        }
    }

    boolean removePoll(Object rq) {
        synchronized (pollList) {
            return pollList.remove(rq);
        }
    }

    /** Removes the first parked request {@code match} accepts; false if none (poll() took it). */
    boolean removePoll(Predicate<Object> match) {
        synchronized (pollList) {
            Iterator<Object> it = pollList.iterator();
            while (it.hasNext()) {
                if (match.test(it.next())) {
                    it.remove();
                    return true;
                }
            }
            return false;
        }
    }

    /** Takes the oldest request on the poll list, or null. */
    Object pollOne() {
        synchronized (pollList) {
            return pollList.pollFirst();
        }
    }

    public int index() {
        return hctx.queueNum();
    }
}
