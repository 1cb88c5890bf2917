package jblk.blockcore;

/**
 * Fields of {@link SwQueue} its submitter writes on every I/O: the dispatch section counter, the
 * plug and the inserted-request mask. Two submitters' contexts are allocated next to each other,
 * so these sit between pads, away from the read-mostly fields and from the neighbours.
 */
@CachelineGroup(value = "submitter", writer = "the context's submitter, every I/O")
abstract class SwQueueFields extends SwQueuePad1 {
    /** Dispatch section sequence; odd while inside. */
    volatile long dispatchSeq;
    boolean plugged;
    long plugTimeNs;
    volatile int pendingMask;

    SwQueueFields(RequestQueue q, int index) {
        super(q, index);
    }
}

/**
 * Fields of {@link SwQueue} set when the context is built or remapped ({@code ctx->queue},
 * {@code ctx->hctxs}), read on every I/O. The lists and hints they point to are objects of their own.
 */
@CachelineGroup("ctx")
abstract class SwQueueIdentity extends SwQueuePad0 {
    final RequestQueue q;
    final int index;
    volatile HwQueue[] hctxs;
    /** Allocation hints per hctx type ({@code sbitmap alloc_hint}), in bitmap-bit space. */
    final int[] hints = new int[HctxType.VALUES.length];
    /** The thread submitting through this context; frees on this thread update its hints. */
    volatile Thread owner;
    final RequestList plugList = new RequestList();
    /** The batch {@link SwQueue#poll(Bio)} hands the driver (io_uring's per-iopoll io_comp_batch). */
    final IoCompBatch pollBatch = new IoCompBatch();
    /** Inserted requests per hctx type, guarded by the array's monitor. */
    final RequestList[] pending = new RequestList[HctxType.VALUES.length];
    volatile boolean closed;

    SwQueueIdentity(RequestQueue q, int index) {
        this.q = q;
        this.index = index;
        for (int i = 0; i < pending.length; i++) {
            pending[i] = new RequestList();
        }
    }
}

/** Before the context's fields: the previous context's lists and hints are written by its own submitter. */
@CachelinePad
abstract class SwQueuePad0 {
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
}

/** Between the read-mostly fields and the submitter's. */
@CachelinePad
abstract class SwQueuePad1 extends SwQueueIdentity {
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

    SwQueuePad1(RequestQueue q, int index) {
        super(q, index);
    }
}

/** After the submitter's fields, so the next object in the heap never shares their lines. */
@CachelinePad
abstract class SwQueuePad2 extends SwQueueFields {
    byte d000, d001, d002, d003, d004, d005, d006, d007;
    byte d010, d011, d012, d013, d014, d015, d016, d017;
    byte d020, d021, d022, d023, d024, d025, d026, d027;
    byte d030, d031, d032, d033, d034, d035, d036, d037;
    byte d040, d041, d042, d043, d044, d045, d046, d047;
    byte d050, d051, d052, d053, d054, d055, d056, d057;
    byte d060, d061, d062, d063, d064, d065, d066, d067;
    byte d070, d071, d072, d073, d074, d075, d076, d077;
    byte d080, d081, d082, d083, d084, d085, d086, d087;
    byte d090, d091, d092, d093, d094, d095, d096, d097;
    byte d100, d101, d102, d103, d104, d105, d106, d107;
    byte d110, d111, d112, d113, d114, d115, d116, d117;
    byte d120, d121, d122, d123, d124, d125, d126, d127;
    byte d130, d131, d132, d133, d134, d135, d136, d137;
    byte d140, d141, d142, d143, d144, d145, d146, d147;
    byte d150, d151, d152, d153, d154, d155, d156, d157;

    SwQueuePad2(RequestQueue q, int index) {
        super(q, index);
    }
}
