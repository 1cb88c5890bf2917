package jblk.blockcore;

/** Fields of {@link Request} the submitter writes when it allocates the tag ({@code blk_mq_rq_ctx_init}). */
abstract class RequestSubmitterFields extends RequestPad1 {
    RequestQueue q;
    HwQueue hctx;
    SwQueue ctx;
    ReqOp op;
    int cmdFlags;
    long sector;
    int nrBytes;
    Bio bio;
    /** For iostats: when the request was allocated (ns); 0 when accounting is off. */
    long startTimeNs;
    /** Coarse clock (ms) at allocation, for the age shown by debug info and the close report. */
    long allocMs;
    /** Block-layer list link ({@code rq->queuelist}): plug, ctx, dispatch and requeue lists. */
    Request next;
    /** Set when the request came from the reserved pool. */
    boolean reserved;
    /** Counted in its queue's fair-share bookkeeping (the tag set was shared at allocation). */
    boolean countedActive;

    RequestSubmitterFields(Tags tags, int tag) {
        super(tags, tag);
    }
}

/** Padding between the submitter's and the completer's fields. */
abstract class RequestPad2 extends RequestSubmitterFields {
    long p11, p12, p13, p14, p15, p16, p17, p18;

    RequestPad2(Tags tags, int tag) {
        super(tags, tag);
    }
}
