package jblk.safety;

import jblk.blockcore.BlkMq;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.Request;

/**
 * The handle in mode {@link Ownership#REFCOUNT}: the Rust mainline {@code ARef<Request<T>>}, which
 * is a pointer, so one object per tag serves every issue (nothing allocated). End is
 * {@code try_set_end}, a CAS of the token's count from 2 to 0 ({@link RefcountWord}): a second end,
 * an end through a released reference or while a share is outstanding is refused. What a pointer
 * cannot tell is which issue it was taken for: kept past the tag's reuse, it ends the next I/O.
 * {@code complete} is {@code ARef::into_raw} plus {@code blk_mq_complete_request_remote}: unchecked,
 * as in mainline.
 */
final class RefcountRequestRef<T> extends RequestRef<T> {
    RefcountRequestRef(Request rq, RequestData<T> wrapper) {
        super(rq, wrapper);
    }

    /**
     * The decision of end and requeue: null if this call took the count from 2 to 0, else the
     * refusal (the caller counts it: the message is built on that path only, so an end allocates
     * nothing).
     */
    private EndOutcome trySetEnd() {
        int seen = RefcountWord.trySetEnd(wrapper);
        if (seen == RefcountWord.ISSUED) {
            return null;
        }
        return seen == 0 ? EndOutcome.ALREADY_ENDED : seen == 1 ? EndOutcome.RELEASED : EndOutcome.SHARED;
    }

    @Override
    public EndOutcome end(BlkStatus status) {
        EndOutcome o = trySetEnd();
        if (o != null) {
            return wrapper.vt.refused(rq, o, "end(" + status + ")");
        }
        BlkMq.endRequest(rq, status);
        return EndOutcome.ENDED;
    }

    @Override
    public EndOutcome complete() {
        BlkMq.completeRequest(rq); // into_raw keeps the count; the complete callback ends it
        return EndOutcome.ENDED;
    }

    @Override
    public EndOutcome completeAfter(long delayNs) {
        BlkMq.completeRequestAfter(rq, delayNs);
        return EndOutcome.ENDED;
    }

    @Override
    public EndOutcome requeue(boolean kickRequeueList) {
        EndOutcome o = trySetEnd();
        if (o != null) {
            return wrapper.vt.refused(rq, o, "requeue()");
        }
        BlkMq.requeueRequest(rq, kickRequeueList);
        return EndOutcome.ENDED;
    }

    @Override
    boolean giveBackToken() {
        EndOutcome o = trySetEnd();
        if (o != null) {
            wrapper.vt.refused(rq, o, "RqList.requeue()");
            return false;
        }
        return true;
    }

    @Override
    public RequestRef<T> share() {
        if (!RefcountWord.incNotZero(wrapper)) {
            throw new OwnershipException(wrapper.vt.refused(rq, EndOutcome.ALREADY_ENDED, "share()"),
                    "share() of " + this + ": the request is not the driver's");
        }
        return this;
    }

    @Override
    public boolean release() {
        if (!RefcountWord.decNotZero(wrapper)) {
            wrapper.vt.refused(rq, EndOutcome.RELEASED, "release()");
            return false;
        }
        return true;
    }

    @Override
    public long generation() {
        return 0;
    }
}
