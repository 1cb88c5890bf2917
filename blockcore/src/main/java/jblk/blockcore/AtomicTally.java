package jblk.blockcore;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the atomic read-modify-writes (CAS, get-and-add, get-and-set, bitwise RMW) and full
 * fences on the I/O path, by site, when the JVM runs with {@code -Djblk.countAtomics=true}; this is
 * how jblk checks the "atomics per request" it claims for each ownership strategy instead of
 * reading them off the code (what {@code perf stat} on locked instructions would tell on the
 * kernel). Models nothing in the kernel.
 *
 * <p>Without the property {@link #ON} is a constant false: every hook is a call to a tiny static
 * method that C1 and C2 inline and fold to nothing, so the hot path is unchanged.
 *
 * <p>A site counts each instruction it executes: a CAS that retries counts twice. Not counted: the
 * sbitmap library's own words ({@code lib/sbitmap.c} knows nothing of blk-mq; the tag allocation and
 * free are counted once each where blk-mq calls them, so a contended retry or a deferred clear's
 * fold is missing), control-plane counters (freeze, quiesce, shared-tag activity) and the
 * JDK's own atomics (LongAdder, locks, the thread pools of the completion contexts).
 */
public final class AtomicTally {
    /** Whether counting is on: {@code -Djblk.countAtomics=true}, read once. */
    public static final boolean ON = Boolean.getBoolean("jblk.countAtomics");

    /** The tag bitmap: the CAS that takes a tag ({@code sbitmap_queue_get}). */
    public static final int TAG_GET = 0;
    /** The tag bitmap: the RMW that frees a tag ({@code sbitmap_queue_clear}). */
    public static final int TAG_PUT = 1;
    /** {@code rq->ref}: inc-not-zero, put-and-test, the binding's CAS (hpref). */
    public static final int RQ_REF = 2;
    /** The request's state word: the timeout's and the binding's CAS. */
    public static final int RQ_WORD = 3;
    /** The binding's own token ({@code RequestDataWrapper::refcount}: refcount and owned shares). */
    public static final int TOKEN = 4;
    /** A handle's own flag (a generation handle's release). */
    public static final int HANDLE = 5;
    /** Hazard-pointer slots: the publishing CAS of a pin and the high-water mark. */
    public static final int HAZARD = 6;
    /** Full fences ({@code smp_mb}). */
    public static final int FENCE = 7;
    /** The hardware queue's state bits, run counters, dispatch-busy and active-request counts. */
    public static final int HCTX = 8;
    /** The software queue's pending bits. */
    public static final int CTX = 9;
    /** The completion context's lock-free list (the IPI's llist): push and take. */
    public static final int COMPLETION_LIST = 10;
    /** The timeout timer's expiry CAS ({@code mod_timer} when the request's deadline is earlier). */
    public static final int TIMER = 11;
    /** I/O accounting ({@code update_io_ticks}). */
    public static final int STATS = 12;
    /** The I/O scheduler's counters. */
    public static final int SCHED = 13;

    private static final String[] NAMES = {"tag_get", "tag_put", "rq_ref", "rq_word", "token", "handle",
        "hazard", "fence", "hctx", "ctx", "completion_list", "timer", "stats", "sched"};
    private static final LongAdder[] COUNTS = new LongAdder[NAMES.length];

    static {
        for (int i = 0; i < COUNTS.length; i++) {
            COUNTS[i] = new LongAdder();
        }
    }

    private AtomicTally() {
    }

    /** Counts one atomic at {@code site} (a no-op unless {@link #ON}). */
    public static void count(int site) {
        if (ON) {
            COUNTS[site].increment();
        }
    }

    /** Counts one atomic at {@code site} and returns its result: {@code tally(RQ_WORD, WORD.compareAndSet(..))}. */
    public static boolean tally(int site, boolean result) {
        count(site);
        return result;
    }

    /** As {@link #tally(int, boolean)}, for an RMW that returns the old value. */
    public static int tally(int site, int result) {
        count(site);
        return result;
    }

    /** As {@link #tally(int, boolean)}, for an RMW that returns the old value. */
    public static long tally(int site, long result) {
        count(site);
        return result;
    }

    /** The number of sites. */
    public static int sites() {
        return NAMES.length;
    }

    /** The site's name in reports ({@code rq_ref}, ...). */
    public static String name(int site) {
        return NAMES[site];
    }

    /** The counts so far, by site (zeros unless {@link #ON}). */
    public static long[] snapshot() {
        long[] s = new long[COUNTS.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = COUNTS[i].sum();
        }
        return s;
    }
}
