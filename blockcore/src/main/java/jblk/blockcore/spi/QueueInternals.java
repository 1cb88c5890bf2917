package jblk.blockcore.spi;

import jblk.blockcore.GenDisk;
import jblk.blockcore.Request;

/**
 * Steps of blockcore's queue machinery that the race tests drive on their own thread, so they
 * exercise the real code rather than copies of it: the timeout scanner's step for one request
 * ({@code blk_mq_check_expired}), the requeue work, and the busy counts the freeze waits on.
 */
public final class QueueInternals {
    private static final SpiBridge BRIDGE = SpiBridge.get();

    private QueueInternals() {
    }

    /**
     * The timeout scanner's step for one request ({@code blk_mq_check_expired}) at a clock far past
     * any deadline: marks it TIMED_OUT with a CAS if it is still in flight and then runs the expiry
     * handling (the driver's timeout callback). Returns whether this call marked it.
     */
    public static boolean expireNow(Request rq) {
        return BRIDGE.expireNow(rq);
    }

    /** The requeue work ({@code blk_mq_requeue_work}), run on the calling thread. */
    public static void requeueWork(GenDisk disk) {
        BRIDGE.requeueWork(disk);
    }

    /** Requests of {@code disk} holding a tag (the freeze wait's {@code q_usage_counter}). */
    public static int requestsHeld(GenDisk disk) {
        return BRIDGE.requestsHeld(disk);
    }

    /**
     * Requests of {@code disk} allocated and initialised (tag bit set and ALLOCATED in the word):
     * unlike {@link #requestsHeld}, not a tag a submitter just grabbed and is about to give back
     * because it found the queue frozen.
     */
    public static int requestsAllocated(GenDisk disk) {
        return BRIDGE.requestsAllocated(disk);
    }

    /**
     * The first per-use field of {@code rq} that {@code blk_mq_rq_ctx_init} resets and that is not
     * in its fresh state (the list link {@code next}, the partial count {@code bytesDone}), or null:
     * what a tag's previous use could leave showing through.
     */
    public static String initLeftover(Request rq) {
        return BRIDGE.initLeftover(rq);
    }
}
