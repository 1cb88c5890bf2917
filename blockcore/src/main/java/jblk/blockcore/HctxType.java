package jblk.blockcore;

/** Models {@code enum hctx_type}: which queue map a request uses. */
public enum HctxType {
    /** All I/O not otherwise typed. */
    DEFAULT,
    /** Reads, when a driver gives them queues of their own (null_blk gives none: they use DEFAULT). */
    READ,
    /** Polled I/O ({@link ReqFlags#POLLED}): completions are reaped by the submitter. */
    POLL;

    static final HctxType[] VALUES = values();
}
