package jblk.blockcore;

/**
 * Fields of {@link HwQueue} written when the queue stops, restarts or bounces a request (the
 * kernel's {@code hctx->state} and dispatch flags), apart from the read-mostly fields every I/O
 * reads, between pads: the hctxs of one queue are allocated next to each other.
 */
@CachelineGroup(value = "dispatch", writer = "dispatchers and kblockd, on a bounce or a stop")
abstract class HwQueueDispatchFields extends HwQueuePad0 {
    /** STOPPED, TAG_ACTIVE, SCHED_RESTART, INACTIVE; accessed through {@code HwQueue.STATE}. */
    volatile int state;
    /** Whether {@code hctx->dispatch} holds requests (read without its lock). */
    volatile boolean dispatchNonEmpty;
    /** {@code hctx->dispatch_busy}: the EWMA of bounces; plain and racy, as in C (see updateDispatchBusy). */
    int dispatchBusy;
    /** {@code hctx->dispatch_from}: where the busy one-at-a-time dispatch resumes. */
    int dispatchFrom;
    /** kblockd bookkeeping, guarded by the kblockd lock: when the next run is due (0 = none). */
    long runAtNs;
}

/** Before the dispatch fields: the previous hctx's lists and counters are written by its own threads. */
@CachelinePad
abstract class HwQueuePad0 {
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

/** Between the dispatch fields and the read-mostly ones. */
@CachelinePad
abstract class HwQueuePad1 extends HwQueueDispatchFields {
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
