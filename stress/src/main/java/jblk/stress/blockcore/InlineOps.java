package jblk.stress.blockcore;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import jblk.blockcore.Bio;
import jblk.blockcore.BlkMq;
import jblk.blockcore.BlkMqOps;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.HwQueue;
import jblk.blockcore.ReqOp;
import jblk.blockcore.Request;

/**
 * A raw driver that ends every request inside queueRq (null_blk with irqmode=0), counting calls on
 * entry and exit: a test can then tell whether a queueRq ran, or was running, at a given moment.
 */
final class InlineOps implements BlkMqOps {
    final AtomicLong entries = new AtomicLong();
    final AtomicLong exits = new AtomicLong();

    @Override
    public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
        entries.incrementAndGet();
        try {
            BlkMq.startRequest(rq);
            Object p = rq.bio().privateData();
            if (p instanceof Issued i) {
                i.issued = true;
            }
            BlkMq.endRequest(rq, BlkStatus.OK);
            return BlkStatus.OK;
        } finally {
            exits.incrementAndGet();
        }
    }

    /** A bio's private data that wants to know whether queueRq saw it, and how often it completed. */
    static class Issued {
        volatile boolean issued;
        final AtomicLong completions = new AtomicLong();
        final Bio bio;

        Issued(ByteBuffer buf) {
            this.bio = new Bio().set(ReqOp.WRITE, 0, 512, buf, 0, 0, b -> ((Issued) b.privateData()).completions
                    .incrementAndGet()).privateData(this);
        }
    }

    /**
     * Looks for queueRq activity over a short window: "NONE" if no call was running when it
     * started and none began during it, else what was seen.
     */
    String windowActivity() {
        long x0 = exits.get();
        long e0 = entries.get();
        for (int i = 0; i < 32; i++) {
            Thread.onSpinWait();
        }
        long e1 = entries.get();
        if (e0 != x0) {
            return "QUEUE_RQ_RUNNING";
        }
        return e1 == e0 ? "NONE" : "QUEUE_RQ_STARTED";
    }
}
