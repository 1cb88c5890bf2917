package jblk.safety;

import jblk.blockcore.BlkStatus;
import jblk.blockcore.Request;
import jblk.blockcore.RequestList;

/**
 * Models the Rust binding's {@code RequestList<T>} for {@link Operations#queueRqs}: the plugged
 * batch. {@link #pop()} starts the next request and hands out its token; {@link #requeue} gives a
 * popped request back (the token is revoked) so the core issues it one by one afterwards, as
 * {@code ->queue_rqs} leaves requests it could not take in the list.
 */
public final class RqList<T> {
    private final OperationsVTable<T, ?> vt;
    private final RequestList rqs;
    private final RequestList givenBack = new RequestList();
    private RequestRef<T> last;

    RqList(OperationsVTable<T, ?> vt, RequestList rqs) {
        this.vt = vt;
        this.rqs = rqs;
    }

    public boolean isEmpty() {
        return rqs.isEmpty();
    }

    public int size() {
        return rqs.size();
    }

    /** The next request, started, with its token; null when the batch is empty. */
    public RequestRef<T> pop() {
        Request rq = rqs.poll();
        if (rq == null) {
            return null;
        }
        last = vt.issue(rq, OperationsVTable.wrapper(rq));
        return last;
    }

    /**
     * Gives a popped request back unissued: blockcore issues it through queueRq after queueRqs
     * returns (pop() does not return it again). Returns false (and counts a violation) if it is no longer the
     * driver's to give back.
     */
    public boolean requeue(RequestRef<T> rq) {
        Request r = rq.rq;
        if (rq instanceof CheckedRequestRef) {
            CheckedRequestRef<T> c = (CheckedRequestRef<T>) rq;
            long w = r.wordVolatile();
            while (true) {
                if (jblk.blockcore.RequestState.generation(w) != c.gen
                        || jblk.blockcore.RequestState.state(w) != jblk.blockcore.RequestState.IN_FLIGHT) {
                    vt.refused(c, EndOutcome.ALREADY_ENDED, "RqList.requeue()");
                    return false;
                }
                long next = ((w & jblk.blockcore.RequestState.GEN_MASK) + jblk.blockcore.RequestState.GEN_ONE)
                        | jblk.blockcore.RequestState.ALLOCATED;
                if (r.casWord(w, next)) {
                    break;
                }
                w = r.wordVolatile();
            }
        } else {
            long w = r.word();
            r.setWordRelease(w & ~(jblk.blockcore.RequestState.STATE_MASK | jblk.blockcore.RequestState.TIMED_OUT));
        }
        givenBack.add(r);
        return true;
    }

    /** After queueRqs returned: what was given back goes in front of what was never popped. */
    void finish() {
        if (!givenBack.isEmpty()) {
            rqs.addAllFirst(givenBack);
        }
    }

    /** After the driver threw: requests it took but did not end get IOERR; the rest stay queued. */
    void failTaken(RuntimeException e) {
        if (last instanceof CheckedRequestRef) {
            ((CheckedRequestRef<T>) last).forceEnd(BlkStatus.IOERR, jblk.blockcore.RequestState.IN_FLIGHT);
        }
    }
}
