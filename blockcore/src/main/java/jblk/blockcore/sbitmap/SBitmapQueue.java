package jblk.blockcore.sbitmap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;

/**
 * Models {@code struct sbitmap_queue} (lib/sbitmap.c): a lock-free tag allocator. A library of its
 * own, as in the kernel: blockcore's tags are built on it, and a benchmark or race test can use it
 * alone. The bits are
 * split over several words, each on its own cache line, so submitters starting from different
 * hints rarely touch the same line; a submitter's hint (the kernel's per-CPU {@code alloc_hint})
 * is passed in, and the freed tag becomes the freeing submitter's next hint, which keeps one
 * submitter's requests cache-hot. Allocation is one CAS; freeing is one atomic AND.
 *
 * <p>Waiting for a tag (the kernel's wait queues) is the slow path: waiters register, and a free
 * looks at one volatile counter to see whether anyone needs waking.
 */
public final class SBitmapQueue {
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Longs between two words: 128 bytes, so neither the line nor its prefetch pair is shared. */
    private static final int STRIDE = 16;
    /** Where a word's cleared mask lives within its stride: the next cache line. */
    private static final int CLEARED = 8;

    private final int depth;
    private final int shift;
    private final int bitsPerWord;
    private final int mapNr;
    private final long[] words;

    private volatile int waiters;
    private final ArrayDeque<Thread> waitQueue = new ArrayDeque<>();

    public SBitmapQueue(int depth) {
        if (depth < 0) {
            throw new IllegalArgumentException("sbitmap depth " + depth);
        }
        this.depth = depth;
        this.shift = calculateShift(depth);
        this.bitsPerWord = 1 << shift;
        this.mapNr = depth == 0 ? 0 : (depth + bitsPerWord - 1) >>> shift;
        this.words = new long[Math.max(1, mapNr) * STRIDE];
    }

    /** {@code sbitmap_calculate_shift}: at least four words when the depth allows, to spread hints. */
    public static int calculateShift(int depth) {
        int s = 6;
        if (depth >= 4) {
            while ((4 << s) > depth) {
                s--;
            }
        }
        return s;
    }

    public int depth() {
        return depth;
    }

    public int bitsPerWord() {
        return bitsPerWord;
    }

    public int mapNr() {
        return mapNr;
    }

    /** Bits valid in word {@code index} (the last word may be short). */
    private long validMask(int index) {
        int bits = Math.min(bitsPerWord, depth - (index << shift));
        return bits >= 64 ? -1L : (1L << bits) - 1;
    }

    /**
     * {@code __sbitmap_queue_get}: allocates a bit, searching from {@code hint}, or returns -1 when
     * every bit is taken. Lock-free: a plain read to find a candidate, one CAS to claim it.
     */
    public int get(int hint) {
        if (depth == 0) {
            return -1;
        }
        if (hint >= depth || hint < 0) {
            hint = 0;
        }
        int index = hint >>> shift;
        int bit = hint & (bitsPerWord - 1);
        for (int i = 0; i < mapNr; i++) {
            int nr = getInWord(index, bit);
            if (nr >= 0) {
                return (index << shift) + nr;
            }
            bit = 0;
            if (++index >= mapNr) {
                index = 0;
            }
        }
        // The hint's own word, below the hint bit, is covered: getInWord wraps within the word.
        return -1;
    }

    private int getInWord(int index, int fromBit) {
        int slot = index * STRIDE;
        long valid = validMask(index);
        while (true) {
            long w = (long) WORDS.getOpaque(words, slot);
            long free = ~w & valid;
            if (free == 0) {
                if (!deferredClear(slot)) {
                    return -1;
                }
                continue;
            }
            long fromHint = free & (-1L << fromBit);
            int nr = Long.numberOfTrailingZeros(fromHint != 0 ? fromHint : free);
            if (WORDS.compareAndSet(words, slot, w, w | (1L << nr))) {
                return nr;
            }
        }
    }

    /** {@code sbitmap_deferred_clear}: folds the word's cleared mask into it; false if there was none. */
    private boolean deferredClear(int slot) {
        if ((long) WORDS.getOpaque(words, slot + CLEARED) == 0) {
            return false;
        }
        long mask = (long) WORDS.getAndSet(words, slot + CLEARED, 0L);
        if (mask == 0) {
            return false;
        }
        WORDS.getAndBitwiseAnd(words, slot, ~mask);
        return true;
    }

    /**
     * {@code sbitmap_queue_clear}: frees a bit and wakes a waiter if there is one. {@code local}:
     * the freeing thread is the one that allocates here (clear at once); otherwise defer it.
     */
    public void clear(int nr, boolean local) {
        int slot = (nr >>> shift) * STRIDE;
        long mask = 1L << (nr & (bitsPerWord - 1));
        if (local) {
            long prev = (long) WORDS.getAndBitwiseAnd(words, slot, ~mask);
            assert (prev & mask) != 0 : "tag bit " + nr + " freed twice";
        } else {
            long prev = (long) WORDS.getAndBitwiseOr(words, slot + CLEARED, mask);
            assert (prev & mask) == 0 : "tag bit " + nr + " freed twice";
        }
        // Pairs with prepareToWait's store of waiters: both sides are sequentially consistent (the
        // atomic above, the volatile waiters), so a waiter that missed this bit is seen here.
        if (waiters != 0) {
            wakeOne();
        }
    }

    /** Frees a bit directly (tests and single-threaded use). */
    public void clear(int nr) {
        clear(nr, true);
    }

    public boolean isSet(int nr) {
        return (word(nr >>> shift) & (1L << (nr & (bitsPerWord - 1)))) != 0;
    }

    /** Number of allocated bits (debugfs "busy"; the freeze wait). Volatile reads. */
    public int weight() {
        int n = 0;
        for (int i = 0; i < mapNr; i++) {
            n += Long.bitCount(word(i) & validMask(i));
        }
        return n;
    }

    /** A word with its deferred frees applied (debugfs' tags_bitmap, isSet, weight). Volatile reads. */
    public long word(int index) {
        return (long) WORDS.getVolatile(words, index * STRIDE)
                & ~(long) WORDS.getVolatile(words, index * STRIDE + CLEARED);
    }

    /** Bits freed but not yet folded back (debugfs "cleared"). */
    public int cleared() {
        int n = 0;
        for (int i = 0; i < mapNr; i++) {
            n += Long.bitCount((long) WORDS.getVolatile(words, i * STRIDE + CLEARED));
        }
        return n;
    }

    // ---- waiting (slow path) -------------------------------------------------------------

    /**
     * Registers the current thread as a waiter. The caller then retries {@link #get} once more
     * before {@link #park}ing, so a free between its failed attempt and the registration is not
     * missed (the free reads {@code waiters} after its atomic AND; both are sequentially consistent).
     */
    public void prepareToWait() {
        synchronized (waitQueue) {
            waitQueue.addLast(Thread.currentThread());
            waiters = waitQueue.size();
        }
    }

    public void finishWait() {
        synchronized (waitQueue) {
            waitQueue.remove(Thread.currentThread());
            waiters = waitQueue.size();
        }
    }

    public void park(long maxNanos) {
        LockSupport.parkNanos(this, maxNanos);
    }

    public int waiterCount() {
        return waiters;
    }

    private void wakeOne() {
        Thread t;
        synchronized (waitQueue) {
            t = waitQueue.pollFirst();
            waiters = waitQueue.size();
        }
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Wakes every waiter (a tag became available to a queue that was over its fair share...). */
    public void wakeAll() {
        Thread[] all;
        synchronized (waitQueue) {
            all = waitQueue.toArray(new Thread[0]);
            waitQueue.clear();
            waiters = 0;
        }
        for (Thread t : all) {
            LockSupport.unpark(t);
        }
    }
}
