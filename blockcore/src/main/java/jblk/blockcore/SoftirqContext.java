package jblk.blockcore;

/**
 * Models {@code BLOCK_SOFTIRQ} completion for one hardware queue ({@code blk_mq_raise_softirq},
 * {@code blk_done_softirq}): requests handed over by {@link BlkMq#completeRequest} are completed on
 * this queue's softirq thread, which calls the driver's {@link BlkMqOps#complete} for each, in the
 * order they arrived.
 */
public final class SoftirqContext extends CompletionThread {
    SoftirqContext(HwQueue hctx) {
        super(hctx, "softirq");
        startThread();
    }

    void raise(Request rq) {
        push(rq);
    }

    @Override
    public void run() {
        long idleSince = 0;
        while (!stopped) {
            Request rq = takeAll();
            if (rq == null) {
                long now = System.nanoTime();
                if (idleSince == 0) {
                    idleSince = now;
                } else if (idle(idleSince, now)) {
                    idleSince = 0;
                }
                continue;
            }
            idleSince = 0;
            while (rq != null) {
                Request next = rq.ipiNext;
                rq.ipiNext = null;
                BlkMq.callComplete(rq);
                rq = next;
            }
        }
    }
}
