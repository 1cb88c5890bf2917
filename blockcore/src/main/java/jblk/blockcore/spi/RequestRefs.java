package jblk.blockcore.spi;

import jblk.blockcore.BlkStatus;
import jblk.blockcore.HazardPointers;
import jblk.blockcore.Request;

/**
 * The block layer's own reference to a request ({@code rq->ref}, block/blk-mq.h's {@code req_ref_*})
 * and the tag set's hazard pointers, as a binding may use them: the hpref strategy decides "end
 * once" with a CAS of {@code rq->ref} from 1 to 0, which is the put {@code blk_mq_free_request}
 * does anyway, and pins requests for {@code tagToRq} with a hazard pointer. Not for raw drivers:
 * the C API has no such access either.
 */
public final class RequestRefs {
    private static final SpiBridge BRIDGE = SpiBridge.get();

    private RequestRefs() {
    }

    /** Volatile load of {@code rq->ref}. */
    public static int lvRef(Request rq) {
        return BRIDGE.lvRef(rq);
    }

    /** CAS (volatile) on {@code rq->ref}; pairs with the iterators' increments and the end's put. */
    public static boolean casRef(Request rq, int expect, int update) {
        return BRIDGE.casRef(rq, expect, update);
    }

    /** {@code req_ref_set}: an opaque store; the caller publishes it (requeue gives the reference back). */
    public static void refSet(Request rq, int v) {
        BRIDGE.refSet(rq, v);
    }

    /**
     * {@code blk_mq_end_request} after the binding's own CAS already dropped the allocation's
     * reference to zero: accounts, completes the bio and frees the tag, with no second put.
     */
    public static void endRequestPutDone(Request rq, BlkStatus status) {
        BRIDGE.endRequestPutDone(rq, status);
    }

    /** The hazard pointers of {@code rq}'s tag set, or null when its iterators take {@code rq->ref}. */
    public static HazardPointers hazards(Request rq) {
        return BRIDGE.hazards(rq);
    }
}
