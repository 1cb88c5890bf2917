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

    SwQueuePad1(RequestQueue q, int index) {
        super(q, index);
    }
}

/** After the submitter's fields, so the next object in the heap never shares their lines. */
@CachelinePad
abstract class SwQueuePad2 extends SwQueueFields {
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

    SwQueuePad2(RequestQueue q, int index) {
        super(q, index);
    }
}
