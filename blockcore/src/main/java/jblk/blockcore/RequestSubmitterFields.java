package jblk.blockcore;

/** Fields of {@link Request} the submitter writes when it allocates the tag ({@code blk_mq_rq_ctx_init}). */
@CachelineGroup(value = "submitter", writer = "the submitter, at allocation")
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
    /**
     * The scheduler tag ({@code rq->internal_tag}) on its hctx's {@link SchedTags}; -1 when no I/O
     * scheduler is attached. {@code >= 0} is jblk's {@code RQF_USE_SCHED}.
     */
    int schedTag = -1;
    /** {@code rq->fifo_time}: when mq-deadline considers the request expired (ns). */
    long fifoTimeNs;
    /** The scheduler's insertion number: orders requests of equal sector in its sort lists. */
    long elvSeq;

    RequestSubmitterFields(Tags tags, int tag) {
        super(tags, tag);
    }
}

/** Between the submitter's and the completer's fields. */
@CachelinePad
abstract class RequestPad2 extends RequestSubmitterFields {
    byte b000, b001, b002, b003, b004, b005, b006, b007;
    byte b010, b011, b012, b013, b014, b015, b016, b017;
    byte b020, b021, b022, b023, b024, b025, b026, b027;
    byte b030, b031, b032, b033, b034, b035, b036, b037;
    byte b040, b041, b042, b043, b044, b045, b046, b047;
    byte b050, b051, b052, b053, b054, b055, b056, b057;
    byte b060, b061, b062, b063, b064, b065, b066, b067;
    byte b070, b071, b072, b073, b074, b075, b076, b077;
    byte b080, b081, b082, b083, b084, b085, b086, b087;
    byte b090, b091, b092, b093, b094, b095, b096, b097;
    byte b100, b101, b102, b103, b104, b105, b106, b107;
    byte b110, b111, b112, b113, b114, b115, b116, b117;
    byte b120, b121, b122, b123, b124, b125, b126, b127;
    byte b130, b131, b132, b133, b134, b135, b136, b137;
    byte b140, b141, b142, b143, b144, b145, b146, b147;
    byte b150, b151, b152, b153, b154, b155, b156, b157;

    RequestPad2(Tags tags, int tag) {
        super(tags, tag);
    }
}
