package jblk.safety;

import jblk.blockcore.spi.RequestWord;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.Request;
import jblk.blockcore.RequestList;
import jblk.blockcore.RequestState;

/**
 * Models the Rust binding's {@code RequestList<T>} for {@link Operations#queueRqs}: the plugged
 * batch. {@link #pop()} starts the next request and hands out its token; {@link #requeue} gives a
 * popped request back (the token is revoked) so the core issues it one by one afterwards, as
 * {@code ->queue_rqs} leaves requests it could not take in the list.
 */
public final class RqList<T> {
    private final OperationsVTable<T, ?> vt;
    private RequestList rqs;
    private final RequestList givenBack = new RequestList();
    /** Popped requests with the generation they were issued at (for cleanup if the driver throws). */
    private Request[] popped = new Request[8];
    private long[] poppedGen = new long[8];
    private int nrPopped;

    RqList(OperationsVTable<T, ?> vt) {
        this.vt = vt;
    }

    /** Reuse for another batch (one per submitting thread, so a plug flush allocates nothing). */
    RqList<T> reset(RequestList batch) {
        this.rqs = batch;
        this.givenBack.clear();
        java.util.Arrays.fill(popped, 0, nrPopped, null);
        this.nrPopped = 0;
        return this;
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
        RequestRef<T> h = vt.issue(rq, OperationsVTable.wrapper(rq));
        if (nrPopped == popped.length) {
            popped = java.util.Arrays.copyOf(popped, nrPopped * 2);
            poppedGen = java.util.Arrays.copyOf(poppedGen, nrPopped * 2);
        }
        popped[nrPopped] = rq;
        poppedGen[nrPopped++] = RequestState.generation(RequestWord.laWord(rq));
        return h;
    }

    /**
     * Gives a popped request back unissued: blockcore issues it through queueRq after queueRqs
     * returns (pop() does not return it again). Returns false (and counts a violation) if it is no
     * longer the driver's to give back.
     */
    public boolean requeue(RequestRef<T> rq) {
        Request r = rq.rq;
        if (rq instanceof CheckedRequestRef) {
            if (((CheckedRequestRef<T>) rq).giveBack() != EndOutcome.ENDED) {
                return false;
            }
        } else if (!rq.giveBackToken()) {
            return false; // the strategy's token says it is no longer the driver's
        } else if (OwnershipWord.refused(OwnershipWord.apply(r, OwnershipWord.REQUEUE,
                RequestState.generation(RequestWord.laWord(r)), OwnershipWord.BINDING))) {
            return false; // mode OFF: nothing is counted, but a request already ended is not queued twice
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

    /**
     * After the driver threw: every request it took and did not end, complete or give back is
     * ended with IOERR (exactly once: by generation); the rest stay queued.
     */
    void failTaken(RuntimeException e) {
        for (int i = 0; i < nrPopped; i++) {
            OperationsVTable.forceEnd(popped[i], poppedGen[i], BlkStatus.IOERR, OwnershipWord.REVOKE);
        }
    }
}
