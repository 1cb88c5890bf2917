package jblk.blockcore;

/**
 * The few package-private blockcore operations the stress tests drive directly. It lives in
 * blockcore's package (in the stress module, on the same class path) so the tests exercise the
 * real code rather than copies of it.
 */
public final class StressAccess {
    private StressAccess() {
    }

    /** The requeue work ({@code blk_mq_requeue_work}), run on the calling thread. */
    public static void requeueWork(GenDisk disk) {
        disk.queue.requeueWork();
    }

    /** Requests of {@code disk} holding a tag (the freeze wait's {@code q_usage_counter}). */
    public static int requestsHeld(GenDisk disk) {
        return disk.queue.requestsHeld();
    }

    /**
     * Requests of {@code disk} that are allocated and initialised (tag bit set and ALLOCATED in the
     * state word): unlike {@link #requestsHeld}, this excludes a tag a submitter has just grabbed
     * and is about to give back because it found the queue frozen.
     */
    public static int requestsAllocated(GenDisk disk) {
        return disk.queue.allocatedRequests().size();
    }

    /**
     * The timeout scanner's real step for one request ({@code blk_mq_check_expired}), run on the
     * calling thread at a clock far past any deadline (the deadline field is written by another
     * thread, so it is not read here). Returns whether this call marked it TIMED_OUT (and so ran
     * the expiry handling: the driver's timeout callback; a RESET_TIMER re-arms far in the future).
     */
    public static boolean expire(Request rq) {
        return rq.q.timeoutScanner.expire(rq, Long.MAX_VALUE / 4);
    }
}
