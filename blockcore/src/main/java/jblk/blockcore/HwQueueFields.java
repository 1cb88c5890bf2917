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
}
