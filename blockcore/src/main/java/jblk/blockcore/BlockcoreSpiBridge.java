package jblk.blockcore;

import java.lang.invoke.VarHandle;
import jblk.blockcore.spi.SpiBridge;

/** blockcore's side of {@link SpiBridge}: forwards the SPI to package-private members. */
final class BlockcoreSpiBridge extends SpiBridge {
    /** A clock far past any deadline the tests set (the deadline field is another thread's). */
    private static final long FAR_FUTURE_MS = Long.MAX_VALUE / 4;

    @Override
    protected VarHandle requestWord() {
        return Request.WORD;
    }

    @Override
    protected void raiseComplete(Request rq) {
        BlkMq.raiseComplete(rq);
    }

    @Override
    protected boolean expireNow(Request rq) {
        return rq.q.timeoutScanner.expire(rq, FAR_FUTURE_MS);
    }

    @Override
    protected void requeueWork(GenDisk disk) {
        disk.queue.requeueWork();
    }

    @Override
    protected int requestsHeld(GenDisk disk) {
        return disk.queue.requestsHeld();
    }

    @Override
    protected String initLeftover(Request rq) {
        if (rq.next != null) {
            return "next";
        }
        if (rq.bytesDone != -1) {
            return "bytesDone";
        }
        return null;
    }

    @Override
    protected int requestsAllocated(GenDisk disk) {
        return disk.queue.allocatedRequests().size();
    }

    @Override
    protected int lvRef(Request rq) {
        return rq.lvRef();
    }

    @Override
    protected boolean casRef(Request rq, int expect, int update) {
        return rq.casRef(expect, update);
    }

    @Override
    protected void refSet(Request rq, int v) {
        rq.refSet(v);
    }

    @Override
    protected void endRequestPutDone(Request rq, BlkStatus status) {
        BlkMq.endRequestPutDone(rq, status);
    }

    @Override
    protected HazardPointers hazards(Request rq) {
        return rq.tags.hazards;
    }
}
