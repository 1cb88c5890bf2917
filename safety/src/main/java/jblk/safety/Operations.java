package jblk.safety;

import jblk.blockcore.BlkStatus;
import jblk.blockcore.EhTimerReturn;
import jblk.blockcore.HwQueue;

/**
 * Models the Rust {@code kernel::block::mq::Operations} trait: what a safe driver implements.
 * Requests arrive as {@link RequestRef ownership tokens}; ending one through the token is
 * fallible, not undefined.
 *
 * <p>{@code T} is the driver's per-request data (the PDU, {@code RequestData}), built once per tag
 * by {@link #newRequestData}; {@code H} is its per-hardware-queue data ({@code HwData}), built by
 * {@link #initHctx} (use {@code Void} and skip it if you need none).
 *
 * <p>Optional methods work as Rust's {@code #[vtable]}: a driver that does not override
 * {@link #poll} has no poll callback in the raw ops at all (not an empty one), so the core behaves
 * as it does for a C driver without it. Which methods a driver overrides is found once, when its
 * tag set is built; calling a default here is a bug and throws.
 */
public interface Operations<T, H> {

    /** The PinInit analog: build the per-request data for one tag (once per tag, not per I/O). */
    T newRequestData(int hctxIdx);

    /**
     * Issue one request; the binding has started it. Return OK when the request is yours (end or
     * complete it, now or later); RESOURCE or DEV_RESOURCE to have it retried (the token is then
     * revoked); any other status to have it ended with that status (ditto).
     *
     * @param isLast no more requests follow in this batch; otherwise expect {@link #commitRqs}
     */
    BlkStatus queueRq(H hw, RequestRef<T> rq, boolean isLast);

    /** A batch ended without a request marked last: kick the hardware. */
    void commitRqs(H hw);

    /** The request's completion, handed over by {@link RequestRef#complete()}: end it here. */
    void complete(RequestRef<T> rq);

    /**
     * Optional: issue a plugged batch. {@link RqList#pop()} hands out the next request (started,
     * with its token); {@link RqList#requeue} gives one back, to be issued one by one afterwards.
     */
    default void queueRqs(H hw, RqList<T> rqs) {
        throw new UnsupportedOperationException("queueRqs is not implemented");
    }

    /** Optional: reap completions on a poll queue; return how many requests were completed. */
    default int poll(H hw) {
        throw new UnsupportedOperationException("poll is not implemented");
    }

    /**
     * Optional: a request expired. {@code rq} is the timeout handler's borrow: ending it through
     * this handle wins over references the driver still holds (the request has expired; those
     * handles will be refused). Without this method the timer is re-armed, as in the kernel.
     */
    default EhTimerReturn timeout(RequestRef<T> rq) {
        throw new UnsupportedOperationException("timeout is not implemented");
    }

    /**
     * Optional: build the data of a hardware queue ({@code HwData}); throw to fail it. The queue
     * tells its index, type and disk (a driver serving several disks finds its device by it).
     */
    default H initHctx(HwQueue hctx) {
        throw new UnsupportedOperationException("initHctx is not implemented");
    }

    /** Optional: tear down a hardware queue's data. */
    default void exitHctx(H hw, int hctxIdx) {
        throw new UnsupportedOperationException("exitHctx is not implemented");
    }
}
