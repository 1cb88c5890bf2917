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

    RequestPad3(Tags tags, int tag) {
        super(tags, tag);
    }
}
