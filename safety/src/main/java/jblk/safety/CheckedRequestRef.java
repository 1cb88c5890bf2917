package jblk.safety;

import static jblk.blockcore.RequestState.ALLOCATED;
import static jblk.blockcore.RequestState.COMPLETE;
import static jblk.blockcore.RequestState.GEN_MASK;
import static jblk.blockcore.RequestState.GEN_ONE;
import static jblk.blockcore.RequestState.IN_FLIGHT;
import static jblk.blockcore.RequestState.PENDING;
import static jblk.blockcore.RequestState.REFS_ONE;
import static jblk.blockcore.RequestState.STATE_MASK;
import static jblk.blockcore.RequestState.TIMED_OUT;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import jblk.blockcore.BlkMq;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.Request;
import jblk.blockcore.RequestState;

/**
 * The handle in modes {@link Ownership#CHECKED} and DEBUG: one object per issue of a request,
 * carrying the generation it was issued for. Every transition (end, complete, requeue, share) is
 * one CAS on the request's state word from a state this handle may leave, so exactly one of any
 * number of racing attempts wins, and a handle from an earlier use of the tag can never match
 * (the generation differs).
 *
 * <p>A handle has a role, fixed when it is made: the OWNER issued by queueRq (or a share, or a
 * tagToRq lookup) ends the request from IN_FLIGHT; the driver's complete callback gets a new handle
 * in the COMPLETION role that ends it from COMPLETE (the owner's handle was given away by
 * {@link #complete()}, as Rust moves the ARef, and is refused from then on); the timeout handler's
 * BORROWED handle ends it from IN_FLIGHT whatever references are outstanding (the request expired).
 */
class CheckedRequestRef<T> extends RequestRef<T> {
    static final byte OWNER = 0;
    static final byte COMPLETION = 1;
    static final byte BORROWED = 2;

    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(CheckedRequestRef.class, "released", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long gen;
    /** OWNER, COMPLETION or BORROWED, fixed when the binding makes the handle. */
    final byte role;
    private volatile boolean released;

    CheckedRequestRef(Request rq, RequestData<T> wrapper, long gen, byte role) {
        super(rq, wrapper);
        this.gen = gen;
        this.role = role;
    }

    @Override
    public final long generation() {
        return gen;
    }

    /** Whether this handle's issue is still live (not ended, tag not reused): data access is allowed. */
    private EndOutcome access() {
        if (released) {
            return EndOutcome.RELEASED;
        }
        long w = rq.wordVolatile();
        if (RequestState.generation(w) != gen) {
            return EndOutcome.STALE;
        }
        int st = (int) (w & STATE_MASK);
        return (w & ALLOCATED) != 0 && st != RequestState.IDLE ? EndOutcome.ENDED : EndOutcome.ALREADY_ENDED;
    }

    /** The buffer, only while this handle's request is live: a stale handle would write into the tag's next I/O. */
    @Override
    public final ByteBuffer buffer() {
        EndOutcome o = access();
        if (o != EndOutcome.ENDED) {
            throw new OwnershipException(wrapper.vt.refused(this, o, "buffer()"), "buffer() of " + this + ": " + o);
        }
        return rq.buffer();
    }

    @Override
    public final boolean setBytesDone(int bytes) {
        EndOutcome o = access();
        if (o != EndOutcome.ENDED) {
            wrapper.vt.refused(this, o, "setBytesDone(" + bytes + ")");
            return false;
        }
        rq.setBytesDone(bytes);
        return true;
    }

    private static final int END = 0;
    private static final int TO_COMPLETE = 1;
    private static final int REQUEUE = 2;
    private static final int ARM_TIMER = 3;

    /**
     * The one CAS: moves the word from a state this handle may leave to the next one. Returns ENDED
     * when this call won, otherwise the refusal (and nothing changed).
     */
    private EndOutcome transition(int op) {
        if (released) {
            return EndOutcome.RELEASED;
        }
        final Request r = rq;
        final long g = gen;
        final byte rl = role;
        long w = r.wordVolatile();
        while (true) {
            if (RequestState.generation(w) != g) {
                return EndOutcome.STALE;
            }
            int st = (int) (w & STATE_MASK);
            int from = rl == COMPLETION ? COMPLETE : IN_FLIGHT;
            // PENDING: a timer will complete it; only the completion callback may end it now.
            if ((w & ALLOCATED) == 0 || st != from || (op != END && rl == COMPLETION)
                    || (rl != COMPLETION && (w & PENDING) != 0)) {
                return EndOutcome.ALREADY_ENDED;
            }
            if (rl != BORROWED && RequestState.refs(w) > 1) {
                return EndOutcome.SHARED;
            }
            long next;
            if (op == END) {
                next = (w & GEN_MASK) | ALLOCATED;
            } else if (op == TO_COMPLETE) {
                next = (w & ~(STATE_MASK | TIMED_OUT)) | COMPLETE;
            } else if (op == ARM_TIMER) {
                next = w | PENDING; // stays IN_FLIGHT (and can time out) until the timer fires
            } else {
                // Requeue: a new generation, so every handle of this issue is stale from now on.
                next = ((w & GEN_MASK) + GEN_ONE) | ALLOCATED;
            }
            if (r.casWord(w, next)) {
                return EndOutcome.ENDED;
            }
            w = r.wordVolatile();
        }
    }

    @Override
    public final EndOutcome end(BlkStatus status) {
        EndOutcome o = transition(END);
        if (o != EndOutcome.ENDED) {
            return wrapper.vt.refused(this, o, "end(" + status + ")");
        }
        ended();
        BlkMq.endRequest(rq, status);
        return EndOutcome.ENDED;
    }

    @Override
    public final EndOutcome complete() {
        EndOutcome o = transition(TO_COMPLETE);
        if (o != EndOutcome.ENDED) {
            return wrapper.vt.refused(this, o, "complete()");
        }
        ended();
        BlkMq.raiseComplete(rq);
        return EndOutcome.ENDED;
    }

    @Override
    public final EndOutcome completeAfter(long delayNs) {
        EndOutcome o = transition(ARM_TIMER);
        if (o != EndOutcome.ENDED) {
            return wrapper.vt.refused(this, o, "completeAfter(" + delayNs + ")");
        }
        ended();
        BlkMq.completeRequestAfter(rq, delayNs);
        return EndOutcome.ENDED;
    }

    @Override
    public final EndOutcome requeue(boolean kick) {
        EndOutcome o = transition(REQUEUE);
        if (o != EndOutcome.ENDED) {
            return wrapper.vt.refused(this, o, "requeue()");
        }
        ended();
        BlkMq.requeueRequest(rq, kick);
        return EndOutcome.ENDED;
    }

    /**
     * Ends the request with {@code status} whatever the references (the binding's own cleanup
     * after a driver error). Returns false if it was no longer this to end.
     */
    final boolean forceEnd(BlkStatus status, int fromState) {
        return OperationsVTable.forceEnd(rq, gen, status, fromState);
    }

    @Override
    public final RequestRef<T> share() {
        if (released) {
            throw new OwnershipException(wrapper.vt.refused(this, EndOutcome.RELEASED, "share()"),
                    "share() of released " + this);
        }
        final Request r = rq;
        long w = r.wordVolatile();
        while (true) {
            EndOutcome o = null;
            if (RequestState.generation(w) != gen) {
                o = EndOutcome.STALE;
            } else if ((w & ALLOCATED) == 0 || (w & STATE_MASK) == RequestState.IDLE) {
                o = EndOutcome.ALREADY_ENDED;
            }
            if (o != null) {
                throw new OwnershipException(wrapper.vt.refused(this, o, "share()"), "share() of " + this + ": " + o);
            }
            if (RequestState.refs(w) >= RequestState.MAX_REFS) {
                throw new OwnershipException(EndOutcome.SHARED, "share() of " + this + ": reference count overflow");
            }
            if (r.casWord(w, w + REFS_ONE)) {
                return wrapper.vt.newRef(r, wrapper, gen, OWNER);
            }
            w = r.wordVolatile();
        }
    }

    @Override
    public final boolean release() {
        if (role == BORROWED) {
            return true; // a borrow holds no reference
        }
        if (!RELEASED.compareAndSet(this, false, true)) {
            wrapper.vt.refused(this, EndOutcome.RELEASED, "release()");
            return false;
        }
        final Request r = rq;
        long w = r.wordVolatile();
        while (RequestState.generation(w) == gen && (w & ALLOCATED) != 0
                && (w & STATE_MASK) != RequestState.IDLE && RequestState.refs(w) > 0) {
            if (r.casWord(w, w - REFS_ONE)) {
                return true;
            }
            w = r.wordVolatile();
        }
        return true; // the request was already ended: the reference died with it
    }

    final boolean isReleased() {
        return released;
    }

    /** Hook for DEBUG: remember where the first successful transition happened. */
    void ended() {
    }
}
