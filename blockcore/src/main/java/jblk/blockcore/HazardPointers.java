package jblk.blockcore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Models the kernel's proposed hazard pointers ({@code hazptr_protect} / {@code hazptr_release} and
 * the updater's slot scan; Boqun Feng's shazptr, Mathieu Desnoyers' HPREF series) for one tag set:
 * a tag iterator or a binding's {@code tagToRq} pins a request by publishing it in a slot instead of
 * taking {@code rq->ref}, and a tag is not handed to a new request while a slot still names its
 * request. So the request's one reference stays 1 from allocation to end, and the binding may use
 * the block layer's own put as its ownership decision (the {@code hpref} strategy, issue 11).
 *
 * <p>Slots: the kernel's are per CPU; here a pin claims the lowest free slot of the set's array
 * with a CAS (a thread holds one per pin), and the scan reads only up to the highest slot ever used,
 * so a set whose iterators run one at a time scans one or two slots per allocation.
 *
 * <p>Protocol (every access names its pair): {@link #protect} claims a free slot with a CAS (the
 * publish, a full fence), then reads {@code rq->ref} (volatile): seeing it non-zero means the end's
 * CAS to zero comes later in the synchronisation order, so the allocator's {@link #isProtected}
 * scan, which follows that CAS through the tag's release and re-acquire, sees the slot. {@link
 * #release} clears the slot with a release store, pairing with the scan's volatile loads.
 */
public final class HazardPointers {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Request[].class);
    private static final VarHandle USED;

    static {
        try {
            USED = MethodHandles.lookup().findVarHandle(HazardPointers.class, "used", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Request[] slots;
    /**
     * One past the highest slot ever claimed: the scan stops there, so a set whose iterators never
     * ran scans nothing. Raised with a CAS by {@link #protect} (the slow path), read volatile.
     */
    private volatile int used;

    /** {@code nrSlots} slots: as many pins can be held at once (iterators, scanners, lookups). */
    HazardPointers(int nrSlots) {
        this.slots = new Request[nrSlots];
    }

    /**
     * {@code hazptr_protect}: publishes {@code rq} in a slot, then validates that it is live
     * ({@code rq->ref} non-zero). Returns the slot to give to {@link #release}, or -1 when the
     * request is being freed (nothing stays published). Waits while every slot is taken.
     */
    public int protect(Request rq) {
        int n = slots.length;
        while (true) {
            // Lowest free slot first, not a per-thread home slot: the allocator scans up to the
            // highest slot ever used on every tag it hands out, so slots stay packed at the start
            // (a home slot at threadId % 64 made that 20-odd loads per request, ~14 ns).
            for (int i = 0; i < n; i++) {
                if (SLOT.getVolatile(slots, i) == null
                        && AtomicTally.tally(AtomicTally.HAZARD, SLOT.compareAndSet(slots, i, null, rq))) {
                    raiseUsed(i + 1);
                    // The CAS above published the slot (full fence); this volatile read pairs with
                    // the end's CAS of rq->ref to zero (Request.casRef / refPutAndTest).
                    if (rq.lvRef() != 0) {
                        return i;
                    }
                    release(i);
                    return -1;
                }
            }
            Thread.onSpinWait(); // every slot held: pins are short, one frees soon
        }
    }

    /** {@code hazptr_release}: a release store; pairs with {@link #isProtected}'s volatile loads. */
    public void release(int slot) {
        SLOT.setRelease(slots, slot, null);
    }

    /**
     * The updater's scan before a tag's request is reused: whether any slot names {@code rq}.
     * Volatile loads; pair with {@link #protect}'s publishing CAS and {@link #release}.
     */
    public boolean isProtected(Request rq) {
        int u = used;
        for (int i = 0; i < u; i++) {
            if (SLOT.getVolatile(slots, i) == rq) {
                return true;
            }
        }
        return false;
    }

    private void raiseUsed(int atLeast) {
        int u;
        while ((u = used) < atLeast && !AtomicTally.tally(AtomicTally.HAZARD, USED.compareAndSet(this, u, atLeast))) {
            Thread.onSpinWait();
        }
    }
}
