package jblk.blockcore;

/**
 * Models {@code struct io_comp_batch} (include/linux/blkdev.h): requests a poller found finished,
 * gathered by {@link BlkMq#addToBatch} and ended together by {@link BlkMq#endRequestBatch} with one
 * timestamp and their tags freed in chunks of {@link #TAG_COMP_BATCH}. The poller owns it and
 * reuses it, so batching allocates nothing; one thread uses it at a time.
 */
public final class IoCompBatch {
    /** {@code TAG_COMP_BATCH}: tags freed per chunk. */
    public static final int TAG_COMP_BATCH = 32;

    /** An empty batch ({@code DEFINE_IO_COMP_BATCH}); the poller keeps it and reuses it. */
    public IoCompBatch() {
    }

    /** {@code iob->req_list}. */
    final RequestList reqList = new RequestList();
    /** {@code iob->need_ts}: some request needs the completion time (iostats). */
    boolean needTs;
    /** The chunk of tags being freed ({@code blk_mq_end_request_batch}'s on-stack array). */
    final int[] tagBuf = new int[TAG_COMP_BATCH];

    public boolean isEmpty() {
        return reqList.isEmpty();
    }

    public int size() {
        return reqList.size();
    }

    /** {@code iob->complete(iob)}: ends everything gathered (the only completion blk-mq has). */
    public void complete() {
        if (!reqList.isEmpty()) {
            BlkMq.endRequestBatch(this);
        }
    }
}
