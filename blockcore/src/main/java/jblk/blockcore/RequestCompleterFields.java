package jblk.blockcore;

/**
 * Fields of {@link Request} written at start and at completion, by the driver's threads: the state
 * word, the deadlines, the partial-transfer count and the softirq llist link.
 */
@CachelineGroup(value = "completer", writer = "the driver's and completion threads, at start and end")
abstract class RequestCompleterFields extends RequestPad2 {
    /**
     * The state word, see {@link RequestState}; accessed only through {@link Request#WORD} with the
     * order in the accessor's name, so not {@code volatile} (a plain access would be a bug either way).
     */
    long word;
    /**
     * {@code rq->ref}: the block layer's own reference count, 1 from allocation until the request is
     * freed; the tag iterators hold one more while they look at it. Accessed only through
     * {@link Request#REF} (the order is in the accessor's name), so not {@code volatile}.
     */
    int ref;
    /** Expiry on the queue's coarse clock (ms), set by startRequest ({@code rq->deadline}). */
    long deadlineMs;
    /** Bytes transferred when ending with an error; -1 = "all on success, none on error". */
    int bytesDone = -1;
    /** Completion llist link ({@code rq->ipi_list}) for the softirq context. */
    Request ipiNext;
    /** When the timer context should complete the request (ns), for irqmode=2. */
    long timerDeadlineNs;

    RequestCompleterFields(Tags tags, int tag) {
        super(tags, tag);
    }
}

/** After the completer's fields, so the next object in the heap never shares their lines. */
@CachelinePad
abstract class RequestPad3 extends RequestCompleterFields {
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

    RequestPad3(Tags tags, int tag) {
        super(tags, tag);
    }
}
