package jblk.blockcore;

/** Models the {@code BLK_MQ_F_*} tag set flags jblk honours. */
public enum TagSetFlag {
    /** Set by the core while two or more disks use the tag set; enables the fair share. */
    TAG_QUEUE_SHARED,
    /** One tag space for all hardware queues (null_blk's shared_tag_bitmap). */
    TAG_HCTX_SHARED,
    /** queueRq may block: runs from completion contexts are always handed to kblockd. */
    BLOCKING,
    /** {@code BLK_MQ_F_NO_SCHED_BY_DEFAULT} (null_blk's no_sched=1): a new disk starts with scheduler none. */
    NO_SCHED_BY_DEFAULT
}
