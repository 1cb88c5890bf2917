package jblk.safety;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import jblk.blockcore.AtomicTally;
import jblk.blockcore.Request;

/**
 * Models the Rust binding's {@code RequestDataWrapper}: what the PDU of each tag holds on the safe
 * side: the driver's data, the per-tag handle of the strategies whose handle is a pointer (OFF,
 * REFCOUNT), the Rust token's own atomic ({@code refcount}, used by REFCOUNT and by OWNED's shared
 * form; {@link RefcountWord} owns its transitions) and in DEBUG mode the record of the current issue.
 */
final class RequestData<T> {
    private static final VarHandle REFCOUNT;

    static {
        try {
            REFCOUNT = MethodHandles.lookup().findVarHandle(RequestData.class, "refcount", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final T data;
    final OperationsVTable<T, ?> vt;
    final Request rq;
    /** Mode OFF: the one handle of this tag. */
    final OffRequestRef<T> offRef;
    /** Mode REFCOUNT: the one handle of this tag (an {@code ARef} is a pointer). */
    final RefcountRequestRef<T> refcountRef;
    /** DEBUG: the record of the request's current issue (for leak reports). */
    volatile DebugRecord debug;
    /**
     * {@code RequestDataWrapper::refcount}; accessed only through the accessors below (the order is
     * in the name, docs/CONCURRENCY.md), so not {@code volatile}.
     */
    @SuppressWarnings("UnusedVariable") // read and written through the REFCOUNT VarHandle only
    private int refcount;

    RequestData(T data, OperationsVTable<T, ?> vt, Request rq) {
        this.data = data;
        this.vt = vt;
        this.rq = rq;
        this.offRef = vt.mode == Ownership.OFF ? new OffRequestRef<>(rq, this) : null;
        this.refcountRef = vt.mode == Ownership.REFCOUNT ? new RefcountRequestRef<>(rq, this) : null;
    }

    /** Volatile load of the token's count. */
    int lvRefcount() {
        return (int) REFCOUNT.getVolatile(this);
    }

    /** Release store: queueRq's {@code refcount = 2}; pairs with the next CAS or acquire load. */
    void soRefcount(int v) {
        REFCOUNT.setRelease(this, v);
    }

    /** CAS (volatile), returning the witness value. */
    int caeRefcount(int expect, int update) {
        return AtomicTally.tally(AtomicTally.TOKEN, (int) REFCOUNT.compareAndExchange(this, expect, update));
    }

    /** Volatile get-and-add ({@code fetch_add} / {@code fetch_sub}). */
    int getAndAddRefcount(int delta) {
        return AtomicTally.tally(AtomicTally.TOKEN, (int) REFCOUNT.getAndAdd(this, delta));
    }
}
