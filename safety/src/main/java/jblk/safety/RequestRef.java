package jblk.safety;

import java.nio.ByteBuffer;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ReqFlags;
import jblk.blockcore.ReqOp;
import jblk.blockcore.Request;
import jblk.safety.race.RaceAccess;

/**
 * Models the Rust binding's {@code ARef<Request<T>>}: a driver's handle on one request, and the
 * ownership token that makes ending it fallible. {@link #end} returns an {@link EndOutcome}:
 * ENDED, or a refusal that changed nothing (a second end, a stale handle after the tag was reused,
 * a shared reference, a released one).
 *
 * <p>What is checked depends on the tag set's {@link Ownership} strategy, fixed when it was built:
 * in OFF the handle is the per-tag request itself and nothing is checked (C semantics); in
 * GENERATION and DEBUG each issue of a request gets its own handle carrying the request's
 * generation, and every end is decided by one CAS on the request's state word; REFCOUNT, HPREF and
 * OWNED are the alternatives docs/OWNERSHIP.md compares.
 */
public abstract class RequestRef<T> {
    static {
        RaceAccess.install(new SafetyRaceBridge()); // stress's race tests' door (exported to it alone)
    }

    final Request rq;
    final RequestData<T> wrapper;

    RequestRef(Request rq, RequestData<T> wrapper) {
        this.rq = rq;
        this.wrapper = wrapper;
    }

    // ---- the request (read-only views; valid while you own it) ----------------------------------

    /** The driver's per-request data ({@code data_ref}), built once per tag. */
    public final T data() {
        return wrapper.data;
    }

    public final int tag() {
        return rq.tag();
    }

    public final ReqOp op() {
        return rq.op();
    }

    /** Start sector, 512-byte units. */
    public final long sector() {
        return rq.sector();
    }

    public final int bytes() {
        return rq.bytes();
    }

    public final int sectors() {
        return rq.sectors();
    }

    /** The request's {@link ReqFlags}. */
    public final int flags() {
        return rq.cmdFlags();
    }

    public final boolean isFua() {
        return (rq.cmdFlags() & ReqFlags.FUA) != 0;
    }

    public final boolean isPolled() {
        return rq.isPolled();
    }

    /**
     * The data buffer: bytes {@code [bufOffset(), bufOffset() + bytes())}. In CHECKED and DEBUG
     * only while this handle's request is live ({@link OwnershipException} otherwise: the tag's next
     * I/O may own the memory now).
     */
    public ByteBuffer buffer() {
        return rq.buffer();
    }

    public final int bufOffset() {
        return rq.bufOffset();
    }

    /** The index of the hardware queue the request is on ({@code queue_index}). */
    public final int hwQueueIndex() {
        return rq.hctx().queueNum();
    }

    public final GenDisk disk() {
        return rq.disk();
    }

    /**
     * For a partial transfer: bytes moved before the request ends with an error. In CHECKED and
     * DEBUG a stale handle is refused (false, counted) instead of touching the tag's next request.
     */
    public boolean setBytesDone(int bytes) {
        rq.setBytesDone(bytes);
        return true;
    }

    /** A zoned driver, in queueRq: where a ZONE_APPEND wrote ({@code rq->__sector}). */
    public final void setSector(long sector) {
        rq.setSector(sector);
    }

    // ---- ownership ------------------------------------------------------------------------

    /**
     * {@code blk_mq_end_request} through the token: end the request with {@code status}, or
     * refuse (and change nothing) if this handle does not own it alone.
     */
    public abstract EndOutcome end(BlkStatus status);

    /** {@code Request::end_ok}. */
    public final EndOutcome endOk() {
        return end(BlkStatus.OK);
    }

    /** {@link #end}, throwing {@link OwnershipException} on a refusal (which changed nothing). */
    public final void endOrThrow(BlkStatus status) {
        EndOutcome o = end(status);
        if (o != EndOutcome.ENDED) {
            throw new OwnershipException(o, "end(" + status + ") of " + this + " refused: " + o);
        }
    }

    /**
     * {@code Request::complete}: hand the request to its queue's completion context, which calls
     * the driver's {@link Operations#complete} with this handle. ENDED means "handed over".
     */
    public abstract EndOutcome complete();

    /**
     * Completes the request after {@code delayNs} through the queue's timer context (null_blk's
     * irqmode=2 hrtimer); then {@link Operations#complete} runs with this handle.
     */
    public abstract EndOutcome completeAfter(long delayNs);

    /** {@code blk_mq_requeue_request}: give the request back unfinished; the token is revoked. */
    public abstract EndOutcome requeue(boolean kickRequeueList);

    /**
     * {@code ARef::clone}: another reference to the same request. While it is outstanding, ends
     * are refused with SHARED; {@link #release()} it first.
     *
     * @throws OwnershipException if this handle does not hold a live reference
     */
    public abstract RequestRef<T> share();

    /** Drops this reference ({@code ARef} drop). False if it was already released or is stale. */
    public abstract boolean release();

    /**
     * RqList.requeue: the strategy takes its token back before the request is given back to the
     * core unissued; false (nothing changed) when this handle no longer owns the request.
     */
    boolean giveBackToken() {
        return true;
    }

    /** The request's generation when this handle was issued (0 in modes OFF and REFCOUNT). */
    public abstract long generation();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{" + rq.disk() + " tag " + rq.tag() + " gen " + generation() + "}";
    }
}
