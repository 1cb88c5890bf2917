package jblk.safety;

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
final class RefcountRequestRef<T> extends StrategyRequestRef<T> {
    RefcountRequestRef(Request rq, RequestData<T> wrapper) {
        super(rq, wrapper);
    }

    /** A pointer reaches the data whatever the count says: nothing is checked, as in mainline. */
    @Override
    EndOutcome mayAccess() {
        return null;
    }

    /**
     * The decision of end and requeue, {@code try_set_end}: null if this call took the count from 2
     * to 0, else the refusal (the caller counts it: the message is built on that path only, so an end
     * allocates nothing).
     */
    @Override
    EndOutcome takeForEnd() {
        int seen = RefcountWord.trySetEnd(wrapper);
        if (seen == RefcountWord.ISSUED) {
            return null;
        }
        return seen == 0 ? EndOutcome.ALREADY_ENDED : seen == 1 ? EndOutcome.RELEASED : EndOutcome.SHARED;
    }

    /** {@code ARef::into_raw}: the count stays, unchecked; the complete callback's end decides. */
    @Override
    EndOutcome takeForComplete() {
        return null;
    }

    @Override
    boolean giveBackToken() {
        EndOutcome o = takeForEnd();
        if (o != null) {
            refused(o, "RqList.requeue()");
            return false;
        }
        return true;
    }

    @Override
    public RequestRef<T> share() {
        if (!RefcountWord.incNotZero(wrapper)) {
            throw new OwnershipException(refused(EndOutcome.ALREADY_ENDED, "share()"),
                    "share() of " + this + ": the request is not the driver's");
        }
        return this;
    }

    @Override
    public boolean release() {
        if (!RefcountWord.decNotZero(wrapper)) {
            refused(EndOutcome.RELEASED, "release()");
            return false;
        }
        return true;
    }

    @Override
    public long generation() {
        return 0;
    }
}
