package jblk.blockcore;

/** Per-tag fields of {@link Request}, written once when the request cache is built. */
abstract class RequestIdentity {
    final Tags tags;
    final int tag;
    /** The driver's per-request data ({@code blk_mq_rq_to_pdu}), built once by initRequest. */
    Object pdu;

    RequestIdentity(Tags tags, int tag) {
        this.tags = tags;
        this.tag = tag;
    }
}

/** Padding so the identity and the submitter's fields do not share a cache line. */
abstract class RequestPad1 extends RequestIdentity {
    long p01, p02, p03, p04, p05, p06, p07, p08;

    RequestPad1(Tags tags, int tag) {
        super(tags, tag);
    }
}
