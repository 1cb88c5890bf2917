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
    byte c000, c001, c002, c003, c004, c005, c006, c007;
    byte c010, c011, c012, c013, c014, c015, c016, c017;
    byte c020, c021, c022, c023, c024, c025, c026, c027;
    byte c030, c031, c032, c033, c034, c035, c036, c037;
    byte c040, c041, c042, c043, c044, c045, c046, c047;
    byte c050, c051, c052, c053, c054, c055, c056, c057;
    byte c060, c061, c062, c063, c064, c065, c066, c067;
    byte c070, c071, c072, c073, c074, c075, c076, c077;
    byte c080, c081, c082, c083, c084, c085, c086, c087;
    byte c090, c091, c092, c093, c094, c095, c096, c097;
    byte c100, c101, c102, c103, c104, c105, c106, c107;
    byte c110, c111, c112, c113, c114, c115, c116, c117;
    byte c120, c121, c122, c123, c124, c125, c126, c127;
    byte c130, c131, c132, c133, c134, c135, c136, c137;
    byte c140, c141, c142, c143, c144, c145, c146, c147;
    byte c150, c151, c152, c153, c154, c155, c156, c157;

    RequestPad2(Tags tags, int tag) {
        super(tags, tag);
    }
}
