package jblk.safety;

import jblk.blockcore.AtomicTally;
import jblk.blockcore.spi.BindingCompletion;
import static jblk.safety.OwnershipWord.ACCESS;
import static jblk.safety.OwnershipWord.ARM_TIMER;
import static jblk.safety.OwnershipWord.COMPLETE_OP;
import static jblk.safety.OwnershipWord.END;
import static jblk.safety.OwnershipWord.RELEASE;
import static jblk.safety.OwnershipWord.REQUEUE;
import static jblk.safety.OwnershipWord.SHARE;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import jblk.blockcore.BlkMq;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.Request;

/**
 * The handle in modes {@link Ownership#CHECKED} and DEBUG: one object per issue of a request,
 * carrying the generation it was issued for and its role. Every operation goes through
 * {@link OwnershipWord} (the state machine, one CAS), so exactly one of any number of racing
 * attempts wins, and a handle from an earlier use of the tag can never match (the generation
 * differs).
 *
 * <p>Roles ({@link OwnershipWord}): the OWNER issued by queueRq (or a share, or a tagToRq lookup)
 * acts while the driver owns the request; the complete callback gets a new handle in the
 * COMPLETION role (the owner's handle was given away by {@link #complete()}, as Rust moves the
 * ARef, and is refused from then on); the timeout handler's TIMEOUT borrow acts while its expiry
 * is being handled, whatever references are outstanding.
 */
class CheckedRequestRef<T> extends RequestRef<T> {
    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(CheckedRequestRef.class, "released", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long gen;
    /** {@link OwnershipWord#OWNER}, COMPLETION or TIMEOUT, fixed when the binding makes the handle. */
    final byte role;
    private volatile boolean released;

    CheckedRequestRef(Request rq, RequestData<T> wrapper, long gen, int role) {
        super(rq, wrapper);
        this.gen = gen;
        this.role = (byte) role;
    }

    @Override
    public final long generation() {
        return gen;
    }

    /**
     * The one path to the state machine: {@code op} through this handle. ENDED when it was done,
     * otherwise the refusal (and nothing changed).
     */
    private EndOutcome transition(int op) {
        if (released) {
            return EndOutcome.RELEASED;
        }
        long r = OwnershipWord.apply(rq, op, gen, role);
        return OwnershipWord.refused(r) ? OwnershipWord.outcome(r) : EndOutcome.ENDED;
    }

    /** The buffer, only while this handle may act: a stale handle would write into the tag's next I/O. */
    @Override
    public final ByteBuffer buffer() {
        EndOutcome o = transition(ACCESS);
        if (o != EndOutcome.ENDED) {
            throw new OwnershipException(wrapper.vt.refused(this, o, "buffer()"), "buffer() of " + this + ": " + o);
        }
        return rq.buffer();
    }

    @Override
    public final boolean setBytesDone(int bytes) {
        EndOutcome o = transition(ACCESS);
        if (o != EndOutcome.ENDED) {
            wrapper.vt.refused(this, o, "setBytesDone(" + bytes + ")");
            return false;
        }
        rq.setBytesDone(bytes);
        return true;
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
        EndOutcome o = transition(COMPLETE_OP);
        if (o != EndOutcome.ENDED) {
            return wrapper.vt.refused(this, o, "complete()");
        }
        ended();
        BindingCompletion.raiseComplete(rq);
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

    /** RqList.requeue: give a popped request back unissued (a new generation, as requeue). */
    final EndOutcome giveBack() {
        EndOutcome o = transition(REQUEUE);
        return o == EndOutcome.ENDED ? o : wrapper.vt.refused(this, o, "RqList.requeue()");
    }

    @Override
    public final RequestRef<T> share() {
        EndOutcome o = transition(SHARE);
        if (o != EndOutcome.ENDED) {
            throw new OwnershipException(wrapper.vt.refused(this, o, "share()"), "share() of " + this + ": "
                    + (o == EndOutcome.SHARED ? "reference count overflow" : o));
        }
        // A share of the timeout's borrow holds a reference: it acts as an owner.
        return wrapper.vt.newRef(rq, wrapper, gen, role == OwnershipWord.TIMEOUT ? OwnershipWord.OWNER : role);
    }

    @Override
    public final boolean release() {
        if (role == OwnershipWord.TIMEOUT) {
            return true; // a borrow holds no reference
        }
        if (!AtomicTally.tally(AtomicTally.HANDLE, RELEASED.compareAndSet(this, false, true))) {
            wrapper.vt.refused(this, EndOutcome.RELEASED, "release()");
            return false;
        }
        // Never refused: a reference of an ended (or handed-over) phase died with it.
        OwnershipWord.apply(rq, RELEASE, gen, role);
        return true;
    }

    final boolean isReleased() {
        return released;
    }

    /** Hook for DEBUG: remember where the first successful transition happened. */
    void ended() {
    }
}
