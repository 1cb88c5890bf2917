package jblk.blockcore;

import jblk.blockcore.spi.RequestWord;

/**
 * The layout of a request's one atomic state word ({@code enum mq_rq_state} plus what the binding
 * layer needs to decide every ownership race with a single CAS):
 *
 * <pre>
 *   63 ......... 24 | 23 ...... 8 | 7      | 6       | 5         | 4         | 3 .. 0
 *   generation (40) | refs (16)   | unused | PENDING | ALLOCATED | TIMED_OUT | state (IDLE, IN_FLIGHT, COMPLETE)
 * </pre>
 *
 * The generation is bumped each time the tag is handed to a new request ({@code
 * blk_mq_rq_ctx_init}), so a handle issued for an earlier use of the tag can never match again
 * (40 bits: a stale handle would have to survive 2^40 reuses of one tag). {@code refs} is owned by
 * the binding layer (the Rust wrapper's refcount; its bits are defined in the binding SPI, {@link
 * RequestWord}); blockcore only carries it. TIMED_OUT is the kernel's RQF_TIMED_OUT: set once per
 * expiry by the timeout scanner. ALLOCATED says the tag is held (the kernel tells an allocated idle
 * request from a free one by the tag bitmap; jblk keeps it in the word so assertions and reports
 * need only one read). PENDING belongs to the binding layer (also in {@link RequestWord}), like
 * refs: a completion is scheduled (a timer armed) while the request stays IN_FLIGHT, as the kernel
 * keeps a request in flight while its hrtimer runs.
 *
 * <p>Who writes: blockcore's raw paths write with release stores ({@code soWord}), as C writes
 * {@code rq->state}; the timeout scanner and binding layers use CAS. A plain store only ever
 * follows a state no CAS accepts, or is the driver's own race (C semantics).
 */
public final class RequestState {
    public static final int IDLE = 0;
    public static final int IN_FLIGHT = 1;
    public static final int COMPLETE = 2;

    public static final long STATE_MASK = 0xFL;
    public static final long TIMED_OUT = 1L << 4;
    public static final long ALLOCATED = 1L << 5;
    public static final int GEN_SHIFT = 24;
    public static final long GEN_ONE = 1L << GEN_SHIFT;
    public static final long GEN_MASK = -1L << GEN_SHIFT;

    private RequestState() {
    }

    public static int state(long word) {
        return (int) (word & STATE_MASK);
    }

    public static long generation(long word) {
        return word >>> GEN_SHIFT;
    }

    public static boolean allocated(long word) {
        return (word & ALLOCATED) != 0;
    }

    public static boolean timedOut(long word) {
        return (word & TIMED_OUT) != 0;
    }

    /**
     * The word of the tag's next use after {@code word}: the generation bumped, allocated, IDLE, no
     * refs ({@code blk_mq_rq_ctx_init}; the binding's requeue uses it to make every handle stale).
     */
    public static long nextGeneration(long word) {
        return ((word & GEN_MASK) + GEN_ONE) | ALLOCATED;
    }

    public static String stateName(int state) {
        switch (state) {
            case IDLE:
                return "idle";
            case IN_FLIGHT:
                return "in_flight";
            case COMPLETE:
                return "complete";
            default:
                return "state" + state;
        }
    }

    public static String toString(long word) {
        return "gen=" + generation(word) + " refs=" + ((word & RequestWord.REFS_MASK) >>> RequestWord.REFS_SHIFT)
                + " " + stateName(state(word))
                + (timedOut(word) ? " TIMED_OUT" : "") + ((word & RequestWord.PENDING) != 0 ? " PENDING" : "")
                + (allocated(word) ? "" : " free");
    }
}
