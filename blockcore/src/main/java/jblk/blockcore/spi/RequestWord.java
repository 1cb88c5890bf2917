package jblk.blockcore.spi;

import java.lang.invoke.VarHandle;
import jblk.blockcore.AtomicTally;
import jblk.blockcore.Request;
import jblk.blockcore.RequestState;

/**
 * A request's state word as the binding layer drives it (the Rust wrapper's refcount in {@code
 * RequestDataWrapper}, which is {@code pub(crate)} there): the binding's bits of the word (refs,
 * PENDING; the layout is in {@link RequestState}) and accessors with the memory order in the name
 * (docs/CONCURRENCY.md): {@code lv} volatile load, {@code la} acquire load, {@code cas} volatile
 * compare-and-set, {@code so} release (ordered) store.
 */
public final class RequestWord {
    /** A completion is scheduled (a timer armed) while the request stays IN_FLIGHT. */
    public static final long PENDING = 1L << 6;
    public static final int REFS_SHIFT = 8;
    public static final long REFS_ONE = 1L << REFS_SHIFT;
    public static final long REFS_MASK = 0xFFFFL << REFS_SHIFT;
    public static final int MAX_REFS = 0xFFFF;

    private static final VarHandle WORD = SpiBridge.get().requestWord();

    private RequestWord() {
    }

    /** The binding's reference count in {@code word}. */
    public static int refs(long word) {
        return (int) ((word & REFS_MASK) >>> REFS_SHIFT);
    }

    /** Volatile load: sequentially consistent with {@link #casWord}. */
    public static long lvWord(Request rq) {
        return (long) WORD.getVolatile(rq);
    }

    /** Acquire load: pairs with the release stores of blockcore's raw paths and {@link #soWord}. */
    public static long laWord(Request rq) {
        return (long) WORD.getAcquire(rq);
    }

    /** CAS (volatile): the one atomic a binding spends to decide an ownership race. */
    public static boolean casWord(Request rq, long expect, long update) {
        return AtomicTally.tally(AtomicTally.RQ_WORD, WORD.compareAndSet(rq, expect, update));
    }

    /** Release store: only for the request's owner; pairs with {@link #laWord}. */
    public static void soWord(Request rq, long w) {
        WORD.setRelease(rq, w);
    }
}
