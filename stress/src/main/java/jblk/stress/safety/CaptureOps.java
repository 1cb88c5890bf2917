package jblk.stress.safety;

import jblk.blockcore.BlkStatus;
import jblk.blockcore.EhTimerReturn;
import jblk.safety.Operations;
import jblk.safety.RequestRef;
import jblk.safety.race.RaceAccess;

/**
 * A safe driver for the race tests: queueRq only hands the request's handle to the sample that
 * submitted it (through the bio's private data) and returns OK, so the test's actors decide how the
 * request ends. complete() ends with the status the completer stored in the PDU; timeout() ends
 * through the timeout handler's borrowed handle, as null_blk does for a request it never completed.
 */
final class CaptureOps implements Operations<Cmd, Void> {
    @Override
    public Cmd newRequestData(int hctxIdx) {
        return new Cmd();
    }

    @Override
    public BlkStatus queueRq(Void hw, RequestRef<Cmd> rq, boolean isLast) {
        Probe p = probe(rq);
        p.issues.incrementAndGet();
        p.ref = rq;
        return BlkStatus.OK;
    }

    @Override
    public void commitRqs(Void hw) {
    }

    @Override
    public void complete(RequestRef<Cmd> rq) {
        probe(rq).completeEnd = rq.end(rq.data().status);
    }

    @Override
    public EhTimerReturn timeout(RequestRef<Cmd> rq) {
        probe(rq).timeoutEnd = rq.end(BlkStatus.TIMEOUT);
        return EhTimerReturn.DONE;
    }

    static Probe probe(RequestRef<Cmd> rq) {
        return (Probe) RaceAccess.requestOf(rq).bio().privateData();
    }
}
