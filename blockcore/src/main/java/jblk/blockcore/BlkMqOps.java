package jblk.blockcore;

import java.util.Set;

/**
 * Models {@code struct blk_mq_ops}: the raw, C-style driver interface. Only {@link #queueRq} is
 * required; the rest are optional exactly as in the kernel, where a NULL member changes what the
 * core does (see {@link BlkMqCallback}). A default method here stands for a NULL pointer: the core
 * never calls it unless {@link #callbacks()} lists it.
 *
 * <p>C semantics: the core trusts the driver. Ending a request twice, or touching it after it was
 * ended, is undefined (only {@code -ea} assertions notice); racing a timeout against a normal
 * completion is the driver's business, as it is in the kernel.
 */
public interface BlkMqOps {

    /**
     * {@code ->queue_rq}: issue one request. The driver calls {@link BlkMq#startRequest} before
     * touching the hardware. Return OK when the request is the driver's (it will end it);
     * RESOURCE or DEV_RESOURCE to have it retried later (the request must not have been ended);
     * any other status to have the core end it with that status.
     *
     * @param last no more requests follow in this batch; otherwise expect {@link #commitRqs}
     */
    BlkStatus queueRq(HwQueue hctx, Request rq, boolean last);

    /**
     * {@code ->queue_rqs}: issue a whole plugged batch at once. Take what you issue out of the
     * list ({@link RequestList#poll()}); whatever is left when this returns is issued one by one
     * through {@link #queueRq}.
     */
    default void queueRqs(RequestList rqs) {
        throw new UnsupportedOperationException("queueRqs");
    }

    /** {@code ->commit_rqs}: a batch ended without a request marked last; kick the hardware. */
    default void commitRqs(HwQueue hctx) {
        throw new UnsupportedOperationException("commitRqs");
    }

    /** {@code ->complete}: the second half of {@link BlkMq#completeRequest}, in the completion context. */
    default void complete(Request rq) {
        throw new UnsupportedOperationException("complete");
    }

    /** {@code ->timeout}: the request expired. Without this callback the timer is simply re-armed. */
    default EhTimerReturn timeout(Request rq) {
        throw new UnsupportedOperationException("timeout");
    }

    /** {@code ->poll}: reap completions on a poll queue; return how many requests were completed. */
    default int poll(HwQueue hctx) {
        throw new UnsupportedOperationException("poll");
    }

    /**
     * {@code ->poll(hctx, iob)}: as {@link #poll(HwQueue)}, with a batch the driver may put finished
     * requests on ({@link BlkMq#addToBatch}); the caller ends the batch. By default the batch is
     * not used.
     */
    default int poll(HwQueue hctx, IoCompBatch iob) {
        return poll(hctx);
    }

    /** {@code ->init_hctx}: set up a hardware queue; return its driver data. Throw to fail. */
    default Object initHctx(HwQueue hctx, int hctxIdx) {
        throw new UnsupportedOperationException("initHctx");
    }

    /** {@code ->exit_hctx}. */
    default void exitHctx(HwQueue hctx, int hctxIdx) {
        throw new UnsupportedOperationException("exitHctx");
    }

    /** {@code ->init_request}: build the per-request driver data (the PDU) once per tag. */
    default Object initRequest(TagSet set, Request rq, int hctxIdx) {
        throw new UnsupportedOperationException("initRequest");
    }

    /** {@code ->exit_request}. */
    default void exitRequest(TagSet set, Request rq, int hctxIdx) {
        throw new UnsupportedOperationException("exitRequest");
    }

    /** {@code ->map_queues}: fill the tag set's queue maps; without it the core spreads evenly. */
    default void mapQueues(TagSet set) {
        throw new UnsupportedOperationException("mapQueues");
    }

    /** {@code ->show_rq}: extra driver state for the debugfs dump of a request. */
    default String showRq(Request rq) {
        throw new UnsupportedOperationException("showRq");
    }

    /** Which optional callbacks this driver has (its non-NULL members). */
    default Set<BlkMqCallback> callbacks() {
        return BlkMqCallback.declaredBy(getClass());
    }
}
