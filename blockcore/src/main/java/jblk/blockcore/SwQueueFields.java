package jblk.blockcore;

/**
 * Fields of {@link SwQueue}, padded on both sides: two submitters' contexts are allocated next to
 * each other and each writes its own hints, plug and section counter on every I/O.
 */
abstract class SwQueueFields extends SwQueuePad0 {
    final RequestQueue q;
    final int index;
    volatile HwQueue[] hctxs;
    /** Allocation hints per hctx type ({@code sbitmap alloc_hint}), in bitmap-bit space. */
    final int[] hints = new int[HctxType.VALUES.length];
    /** The thread submitting through this context; frees on this thread update its hints. */
    volatile Thread owner;
    /** Dispatch section sequence; odd while inside. */
    volatile long dispatchSeq;
    boolean plugged;
    long plugTimeNs;
    final RequestList plugList = new RequestList();
    /** Inserted requests per hctx type, guarded by the array's monitor. */
    final RequestList[] pending = new RequestList[HctxType.VALUES.length];
    volatile int pendingMask;
    volatile boolean closed;
    long p10, p11, p12, p13, p14, p15, p16, p17;

    SwQueueFields(RequestQueue q, int index) {
        this.q = q;
        this.index = index;
        for (int i = 0; i < pending.length; i++) {
            pending[i] = new RequestList();
        }
    }
}

abstract class SwQueuePad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}
