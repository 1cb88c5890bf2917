package jblk.blockcore;

/** Fields of {@link Request} written at start and at completion, by the driver's threads. */
abstract class RequestCompleterFields extends RequestPad2 {
    /**
     * The state word, see {@link RequestState}; accessed only through {@link Request#WORD} with the
     * order in the accessor's name, so not {@code volatile} (a plain access would be a bug either way).
     */
    long word;
    /** Expiry on the queue's coarse clock (ms), set by startRequest ({@code rq->deadline}). */
    long deadlineMs;
    /** Bytes transferred when ending with an error; -1 = "all on success, none on error". */
    int bytesDone = -1;
    /** Completion llist link ({@code rq->ipi_list}) for the softirq context. */
    Request ipiNext;
    /** When the timer context should complete the request (ns), for irqmode=2. */
    long timerDeadlineNs;
    long p21, p22, p23, p24, p25, p26, p27;

    RequestCompleterFields(Tags tags, int tag) {
        super(tags, tag);
    }
}
