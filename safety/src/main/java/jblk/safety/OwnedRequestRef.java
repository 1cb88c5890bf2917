package jblk.safety;

import jblk.blockcore.Request;
import jblk.blockcore.RequestState;
import jblk.blockcore.spi.RequestWord;

/**
 * The handle in mode {@link Ownership#OWNED}: the 2026 rnull series' typestate. queueRq's handle is
 * an {@code Owned<Request>}: unique, so end, complete and requeue need no atomic; they consume it
 * (a plain per-issue flag stands for Rust's move, which the compiler checks there and nothing checks
 * in Java: two threads using one handle race on the flag). Sharing is explicit: {@link #share()}
 * is {@code into_shared} (the count 0 -> 2, plus the clone), a shared handle ends through
 * {@code try_from_shared}, the CAS 2 -> 0 ({@link RefcountWord}). A lookup or the timeout handler
 * gets a shared handle only while no {@code Owned} exists (the count is at least 1).
 */
final class OwnedRequestRef<T> extends StrategyRequestRef<T> {
    /** An {@code Owned<Request>}: unique, infallible end. */
    static final byte OWNED = 0;
    /** An {@code ARef<Request>}: ends through try_from_shared. */
    static final byte SHARED = 1;
    /** Consumed (ended, completed, requeued, released, or turned into a shared one). */
    static final byte GONE = 2;
    /** The timeout handler while the driver holds the {@code Owned}: may look, may not end. */
    static final byte BORROW = 3;

    final long gen;
    /** Plain: the typestate. Only the thread holding the handle changes it (Rust's move). */
    private byte state;

    OwnedRequestRef(Request rq, RequestData<T> wrapper, long gen, byte state) {
        super(rq, wrapper);
        this.gen = gen;
        this.state = state;
    }

    @Override
    public long generation() {
        return gen;
    }

    boolean isGone() {
        return state == GONE;
    }

    /** Null if the request is still this issue's and live (one acquire load), else the refusal. */
    @Override
    EndOutcome mayAccess() {
        if (state == GONE) {
            return EndOutcome.ALREADY_ENDED;
        }
        long w = RequestWord.laWord(rq);
        if (RequestState.generation(w) != gen) {
            return EndOutcome.STALE;
        }
        return RequestState.allocated(w) && RequestState.state(w) != RequestState.IDLE ? null
                : EndOutcome.ALREADY_ENDED;
    }

    /** Consumes the handle for an end or requeue; null when it may go on. */
    @Override
    EndOutcome takeForEnd() {
        EndOutcome o = mayAccess();
        if (o != null) {
            return o;
        }
        if (state == BORROW) {
            return EndOutcome.SHARED; // the driver's Owned is out: only it may end the request
        }
        if (state == SHARED) {
            int seen = RefcountWord.trySetEnd(wrapper);
            if (seen != RefcountWord.ISSUED) {
                return seen == 0 ? EndOutcome.ALREADY_ENDED : EndOutcome.SHARED;
            }
        }
        state = GONE;
        return null;
    }

    /** complete and completeAfter consume the handle as an end does. */
    @Override
    EndOutcome takeForComplete() {
        return takeForEnd();
    }

    @Override
    boolean giveBackToken() {
        return takeForEnd() == null;
    }

    /** {@code into_shared} and a clone (Owned), or {@code ARef::clone} (shared). */
    @Override
    public RequestRef<T> share() {
        EndOutcome o = mayAccess();
        if (o == null && state == OWNED) {
            RefcountWord.intoShared(wrapper, 1);
            state = SHARED;
        } else if (o == null && (state != SHARED || !RefcountWord.incNotZero(wrapper))) {
            o = EndOutcome.SHARED;
        }
        if (o != null) {
            throw new OwnershipException(refused(o, "share()"), "share() of " + this + ": " + o);
        }
        return new OwnedRequestRef<>(rq, wrapper, gen, SHARED);
    }

    /** {@code Ownable::release} (an Owned dropped unended: count 0 -> 1) or {@code ARef} drop. */
    @Override
    public boolean release() {
        byte s = state;
        if (s == GONE) {
            refused(EndOutcome.RELEASED, "release()");
            return false;
        }
        state = GONE;
        if (s == OWNED) {
            RefcountWord.ownableRelease(wrapper);
        } else if (s == SHARED) {
            RefcountWord.decNotZero(wrapper);
        }
        return true;
    }
}
