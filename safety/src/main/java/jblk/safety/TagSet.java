package jblk.safety;

import java.time.Duration;
import jblk.blockcore.GenDisk;
import jblk.blockcore.Request;
import jblk.blockcore.TagSetFlag;
import jblk.blockcore.Tags;

/**
 * Models the Rust binding's {@code TagSet<T>} ({@code TagSet::new} + {@code blk_mq_alloc_tag_set}):
 * a blockcore tag set whose ops are the {@link OperationsVTable} of a safe driver, with the
 * ownership mode fixed at build time. Give it to several {@link GenDiskBuilder}s to share tags
 * between disks (null_blk's shared_tags).
 */
public final class TagSet<T, H> implements AutoCloseable {
    final OperationsVTable<T, H> vt;
    final jblk.blockcore.TagSet raw;

    private TagSet(Builder<T, H> b) {
        this.vt = new OperationsVTable<>(b.ops, b.ownership);
        jblk.blockcore.TagSet.Builder rb = jblk.blockcore.TagSet.builder(vt)
                .nrHwQueues(b.nrHwQueues)
                .nrPollQueues(b.nrPollQueues)
                .queueDepth(b.queueDepth)
                .reservedTags(b.reservedTags)
                .timeout(b.timeout)
                .driverData(b.driverData)
                .hazardPointers(b.ownership == Ownership.HPREF); // iterators pin instead of rq->ref
        if (b.nrCpuIds > 0) {
            rb.nrCpuIds(b.nrCpuIds);
        }
        if (b.blocking) {
            rb.flag(TagSetFlag.BLOCKING);
        }
        if (b.noSchedByDefault) {
            rb.flag(TagSetFlag.NO_SCHED_BY_DEFAULT);
        }
        if (b.hctxShared) {
            rb.flag(TagSetFlag.TAG_HCTX_SHARED);
        }
        this.raw = rb.build();
    }

    public static <T, H> Builder<T, H> builder(Operations<T, H> ops) {
        return new Builder<>(ops);
    }

    public Ownership ownership() {
        return vt.mode;
    }

    /**
     * The blockcore tag set underneath: package-private, as Rust keeps {@code raw_tag_set}
     * {@code pub(crate)}; through it a driver could reach the vtable and raw requests.
     */
    jblk.blockcore.TagSet raw() {
        return raw;
    }

    /**
     * {@code TagSet::tag_to_rq}: a new reference to the request on hw queue {@code qid} with
     * {@code tag}, only while the driver owns it (started, not yet ended); null otherwise. In
     * GENERATION, DEBUG and REFCOUNT the reference counts: release it before ending through another
     * one; in HPREF it pins the request (a hazard pointer) until released or ended.
     */
    public RequestRef<T> tagToRq(int qid, int tag) {
        if (qid < 0 || qid >= raw.nrHwQueues()) {
            throw new IllegalArgumentException("hw queue " + qid + " is out of range: allowed 0.."
                    + (raw.nrHwQueues() - 1));
        }
        Tags tags = raw.tags(qid);
        if (tag < 0 || tag >= tags.nrTags()) {
            throw new IllegalArgumentException("tag " + tag + " is out of range: allowed 0.." + (tags.nrTags() - 1));
        }
        Request rq = tags.tagToRq(tag);
        if (rq.pdu() == null) {
            return null;
        }
        return vt.tagToRq(rq);
    }

    /** The ownership violations counted on {@code disk}, by kind. */
    public Violations violations(GenDisk disk) {
        return vt.violations(disk);
    }

    /** {@code blk_mq_update_nr_hw_queues} (see blockcore's TagSet). */
    public void updateNrHwQueues(int nrHw, int nrPoll) {
        raw.updateNrHwQueues(nrHw, nrPoll);
    }

    @Override
    public void close() {
        raw.close();
    }

    /** Builds a {@link TagSet}; values are checked at {@link #build()} with one clear message each. */
    public static final class Builder<T, H> {
        private final Operations<T, H> ops;
        private int nrHwQueues = 1;
        private int nrPollQueues;
        private int queueDepth = 256;
        private int reservedTags;
        private boolean blocking;
        private boolean hctxShared;
        private boolean noSchedByDefault;
        private Duration timeout = jblk.blockcore.TagSet.DEFAULT_TIMEOUT;
        private Ownership ownership; // null: -Djblk.ownership at build()
        private int nrCpuIds;
        private Object driverData;

        private Builder(Operations<T, H> ops) {
            if (ops == null) {
                throw new IllegalArgumentException("operations must not be null");
            }
            this.ops = ops;
        }

        /** Hardware queues, poll queues included (1..256). */
        public Builder<T, H> nrHwQueues(int n) {
            this.nrHwQueues = n;
            return this;
        }

        public Builder<T, H> nrPollQueues(int n) {
            this.nrPollQueues = n;
            return this;
        }

        /** Tags per tag space (1..65536), reserved included. Rust's {@code num_tags}; default 256. */
        public Builder<T, H> queueDepth(int n) {
            this.queueDepth = n;
            return this;
        }

        public Builder<T, H> reservedTags(int n) {
            this.reservedTags = n;
            return this;
        }

        /** queueRq may block (BLK_MQ_F_BLOCKING). */
        public Builder<T, H> blocking(boolean b) {
            this.blocking = b;
            return this;
        }

        /** One tag space shared by all hardware queues (BLK_MQ_F_TAG_HCTX_SHARED). */
        public Builder<T, H> sharedTagBitmap(boolean b) {
            this.hctxShared = b;
            return this;
        }

        /** New disks start with scheduler none (BLK_MQ_F_NO_SCHED_BY_DEFAULT, null_blk's no_sched). */
        public Builder<T, H> noSchedByDefault(boolean b) {
            this.noSchedByDefault = b;
            return this;
        }

        /** Request timeout; default 30 s (the C default, as Rust's {@code timeout: 0}). */
        public Builder<T, H> timeout(Duration t) {
            this.timeout = t;
            return this;
        }

        /** The ownership mode; default from {@code -Djblk.ownership}, else CHECKED. */
        public Builder<T, H> ownership(Ownership o) {
            if (o == null) {
                throw new IllegalArgumentException("ownership must not be null: allowed " + Ownership.ALLOWED);
            }
            this.ownership = o;
            return this;
        }

        public Builder<T, H> nrCpuIds(int n) {
            this.nrCpuIds = n;
            return this;
        }

        /** {@code TagSetData}. */
        public Builder<T, H> driverData(Object d) {
            this.driverData = d;
            return this;
        }

        public TagSet<T, H> build() {
            if (ownership == null) {
                ownership = Ownership.fromSystemProperty();
            }
            return new TagSet<>(this);
        }
    }
}
