package jblk.safety;

import jblk.blockcore.BlkMq;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.HazardPointers;
import jblk.blockcore.Request;
import jblk.blockcore.RequestState;
import jblk.blockcore.spi.RequestRefs;
import jblk.blockcore.spi.RequestWord;

/**
 * The handle in mode {@link Ownership#HPREF}: hazard pointers with the block layer's reference. The
 * request's {@code rq->ref} stays 1 while the driver owns it (iterators and lookups pin with hazard
 * pointers, {@link HazardPointers}), so "end once" is a CAS of {@code rq->ref} from 1 to 0: the put
 * {@code blk_mq_free_request} does in mode OFF anyway, now also the ownership decision. One object
 * per issue (C2 scalar-replaces the owner's when it does not escape) carrying the generation, so a
 * handle from an earlier use of the tag is STALE by one acquire load, no atomic.
 *
 * <p>What a hazard pointer gives is existence, not exclusivity: a share or lookup keeps the request's
 * identity (its tag is not reused while pinned), but does not hold the owner's end back; after it,
 * the shared handle is refused ALREADY_ENDED.
 */
final class HprefRequestRef<T> extends StrategyRequestRef<T> {
    final long gen;
    /** {@link OwnershipWord#OWNER}, COMPLETION or TIMEOUT. */
    private final byte role;
    /** The hazard-pointer slot this handle pins (a share or lookup), or -1. */
    private int slot;
    /** Plain: this handle ended, completed, requeued or was released (a moved value in Rust). */
    private boolean done;

    HprefRequestRef(Request rq, RequestData<T> wrapper, long gen, int role, int slot) {
        super(rq, wrapper);
        this.gen = gen;
        this.role = (byte) role;
        this.slot = slot;
    }

    @Override
    public long generation() {
        return gen;
    }

    /** Null if this handle may act now (one acquire load of the state word), else the refusal. */
    @Override
    EndOutcome mayAccess() {
        if (done) {
            return EndOutcome.ALREADY_ENDED;
        }
        long w = RequestWord.laWord(rq);
        if (RequestState.generation(w) != gen) {
            return EndOutcome.STALE;
        }
        int st = RequestState.state(w);
        boolean live = role == OwnershipWord.COMPLETION ? st != RequestState.IDLE : st == RequestState.IN_FLIGHT;
        return live && RequestState.allocated(w) ? null : EndOutcome.ALREADY_ENDED;
    }

    /** The decision of end and requeue: {@code rq->ref} 1 -> 0; null when this call won it. */
    @Override
    EndOutcome takeForEnd() {
        EndOutcome o = mayAccess();
        if (o != null) {
            return o;
        }
        if (!RequestRefs.casRef(rq, 1, 0)) {
            return EndOutcome.ALREADY_ENDED;
        }
        done = true;
        return null;
    }

    /**
     * Hands the request to the completion context: checked in sequence (one acquire load), not
     * decided atomically; the complete callback's end is the CAS that decides against a timeout.
     */
    @Override
    EndOutcome takeForComplete() {
        EndOutcome o = role == OwnershipWord.COMPLETION ? EndOutcome.ALREADY_ENDED : mayAccess();
        if (o == null) {
            done = true;
            unpin();
        }
        return o;
    }

    /** The CAS of {@link #takeForEnd} was the put: end without a second one, then unpin. */
    @Override
    void endTaken(BlkStatus status) {
        RequestRefs.endRequestPutDone(rq, status);
        unpin();
    }

    /** The request stays allocated: blk-mq's reference is back before it goes on the requeue list. */
    @Override
    void requeueTaken(boolean kick) {
        RequestRefs.refSet(rq, 1);
        unpin();
        BlkMq.requeueRequest(rq, kick);
    }

    private void unpin() {
        if (slot >= 0) {
            RequestRefs.hazards(rq).release(slot);
            slot = -1;
        }
    }

    @Override
    boolean giveBackToken() {
        if (mayAccess() != null) {
            return false;
        }
        done = true;
        return true;
    }

    @Override
    public RequestRef<T> share() {
        EndOutcome o = mayAccess();
        int s = o == null ? RequestRefs.hazards(rq).protect(rq) : -1;
        if (s < 0 || RequestState.generation(RequestWord.laWord(rq)) != gen) {
            if (s >= 0) {
                RequestRefs.hazards(rq).release(s);
            }
            EndOutcome r = o != null ? o : EndOutcome.ALREADY_ENDED;
            throw new OwnershipException(refused(r, "share()"), "share() of " + this + ": " + r);
        }
        return new HprefRequestRef<>(rq, wrapper, gen, role == OwnershipWord.TIMEOUT ? OwnershipWord.OWNER : role, s);
    }

    @Override
    public boolean release() {
        if (done) {
            refused(EndOutcome.RELEASED, "release()");
            return false;
        }
        if (role == OwnershipWord.TIMEOUT) {
            return true; // a borrow holds nothing
        }
        done = true;
        unpin();
        return true;
    }
}
