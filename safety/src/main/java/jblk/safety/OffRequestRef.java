package jblk.safety;

import jblk.blockcore.BlkMq;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.Request;

/**
 * The handle in mode {@link Ownership#OFF}: one per tag, reused for every I/O, checking nothing.
 * Each call is the C function it wraps, so a double end is undefined here exactly as in C.
 */
final class OffRequestRef<T> extends RequestRef<T> {
    OffRequestRef(Request rq, RequestData<T> wrapper) {
        super(rq, wrapper);
    }

    @Override
    public EndOutcome end(BlkStatus status) {
        BlkMq.endRequest(rq, status);
        return EndOutcome.ENDED;
    }

    @Override
    public EndOutcome complete() {
        BlkMq.completeRequest(rq);
        return EndOutcome.ENDED;
    }

    @Override
    public EndOutcome completeAfter(long delayNs) {
        BlkMq.completeRequestAfter(rq, delayNs);
        return EndOutcome.ENDED;
    }

    @Override
    public EndOutcome requeue(boolean kickRequeueList) {
        BlkMq.requeueRequest(rq, kickRequeueList);
        return EndOutcome.ENDED;
    }

    @Override
    public RequestRef<T> share() {
        return this;
    }

    @Override
    public boolean release() {
        return true;
    }

    @Override
    public long generation() {
        return 0;
    }
}
