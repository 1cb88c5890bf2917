package jblk.safety;

import java.nio.ByteBuffer;
import jblk.blockcore.BlkMq;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.Request;

/**
 * The handles of the strategies docs/OWNERSHIP.md compares with the generation word (REFCOUNT, HPREF,
 * OWNED), as the Rust binding's {@code Request} methods over each token: every strategy decides an
 * operation its own way ({@link #mayAccess}, {@link #takeForEnd}, {@link #takeForComplete}); what
 * follows a decision is the same for all three and lives here: blockcore's call, or the refusal
 * counted against the disk, its message built on that path only (an end allocates nothing).
 *
 * <p>The operations are final and small, the decisions are called on the exact class the binding
 * created, so C2 inlines the whole of an end into the adapter and folds each strategy's decision as
 * before; nothing here may store {@code this} or pass it on, or the per-issue token would escape.
 */
abstract class StrategyRequestRef<T> extends RequestRef<T> {
    StrategyRequestRef(Request rq, RequestData<T> wrapper) {
        super(rq, wrapper);
    }

    /** Null if this handle may read or write the request's data now, else the refusal. */
    abstract EndOutcome mayAccess();

    /**
     * The decision of end and requeue: null when this call took the request from the driver (the
     * handle's token is spent), else the refusal, which changed nothing.
     */
    abstract EndOutcome takeForEnd();

    /** The decision of complete and completeAfter: null when the request may be handed over. */
    abstract EndOutcome takeForComplete();

    /** After a won end: {@code blk_mq_end_request}. */
    void endTaken(BlkStatus status) {
        BlkMq.endRequest(rq, status);
    }

    /** After a won requeue: {@code blk_mq_requeue_request}. */
    void requeueTaken(boolean kick) {
        BlkMq.requeueRequest(rq, kick);
    }

    /** Counts a refusal against the request's disk; returns it. */
    final EndOutcome refused(EndOutcome o, String what) {
        return wrapper.vt.refused(rq, o, what);
    }

    @Override
    public final ByteBuffer buffer() {
        EndOutcome o = mayAccess();
        if (o != null) {
            throw new OwnershipException(refused(o, "buffer()"), "buffer() of " + this + ": " + o);
        }
        return rq.buffer();
    }

    @Override
    public final boolean setBytesDone(int bytes) {
        EndOutcome o = mayAccess();
        if (o != null) {
            refused(o, "setBytesDone(" + bytes + ")");
            return false;
        }
        rq.setBytesDone(bytes);
        return true;
    }

    @Override
    public final EndOutcome end(BlkStatus status) {
        EndOutcome o = takeForEnd();
        if (o != null) {
            return refused(o, "end(" + status + ")");
        }
        endTaken(status);
        return EndOutcome.ENDED;
    }

    @Override
    public final EndOutcome complete() {
        EndOutcome o = takeForComplete();
        if (o != null) {
            return refused(o, "complete()");
        }
        BlkMq.completeRequest(rq);
        return EndOutcome.ENDED;
    }

    @Override
    public final EndOutcome completeAfter(long delayNs) {
        EndOutcome o = takeForComplete();
        if (o != null) {
            return refused(o, "completeAfter(" + delayNs + ")");
        }
        BlkMq.completeRequestAfter(rq, delayNs);
        return EndOutcome.ENDED;
    }

    @Override
    public final EndOutcome requeue(boolean kick) {
        EndOutcome o = takeForEnd();
        if (o != null) {
            return refused(o, "requeue()");
        }
        requeueTaken(kick);
        return EndOutcome.ENDED;
    }
}
