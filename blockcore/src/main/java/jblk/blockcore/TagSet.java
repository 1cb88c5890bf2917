package jblk.blockcore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Models {@code struct blk_mq_tag_set} ({@code blk_mq_alloc_tag_set}): the driver's ops, the number
 * of hardware queues, the queue depth, reserved tags, flags, the request timeout, the queue maps,
 * and the tags with their preallocated requests. One tag set may serve several disks (null_blk's
 * shared_tags); then each active disk gets a fair share of every tag space.
 */
public final class TagSet implements AutoCloseable {
    public static final int MAX_DEPTH = 65536;
    public static final int MAX_HW_QUEUES = 256;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The system property that sets the modelled {@code nr_cpu_ids} (as the kernel's
     * {@code nr_cpus=} boot parameter would); default: the JVM's available processors.
     */
    public static final String NR_CPU_IDS_PROPERTY = "jblk.nr_cpu_ids";
    public static final int MAX_CPU_IDS = 4096;

    final BlkMqOps ops;
    final Set<BlkMqCallback> callbacks;
    final boolean hasQueueRqs;
    final boolean hasCommitRqs;
    final boolean hasComplete;
    final boolean hasTimeout;
    final boolean hasPoll;
    final boolean hasInitHctx;
    final boolean hasExitHctx;
    final boolean hasInitRequest;
    final boolean hasExitRequest;
    final boolean hasMapQueues;
    final boolean hasShowRq;

    final int reservedTags;
    final long timeoutMs;
    final int nrCpuIds;
    final boolean blocking;
    final boolean hctxShared;
    final Set<TagSetFlag> flags;
    final Object driverData;

    /** Guards reconfiguration and the list of disks. */
    final Object lock = new Object();
    volatile int nrHwQueues;
    volatile int nrPollQueues;
    volatile int queueDepth;
    volatile Tags[] tags;
    volatile QueueMap[] maps;
    final List<RequestQueue> queues = new CopyOnWriteArrayList<>();
    /** TAG_QUEUE_SHARED: more than one disk uses this set. */
    volatile boolean queueShared;
    private boolean closed;
    /** Slots of a hazard-pointer tag set: more than the pins a set holds at once (iterators, lookups). */
    static final int HAZARD_SLOTS = 64;
    /**
     * Non-null when tag iterators pin requests with hazard pointers instead of {@code rq->ref}
     * (issue 11's hpref strategy; see {@link HazardPointers}); null is the kernel's way.
     */
    final HazardPointers hazards;

    private TagSet(Builder b) {
        this.ops = b.ops;
        this.hazards = b.hazardPointers ? new HazardPointers(HAZARD_SLOTS) : null;
        this.callbacks = EnumSet.noneOf(BlkMqCallback.class);
        this.callbacks.addAll(ops.callbacks());
        this.hasQueueRqs = callbacks.contains(BlkMqCallback.QUEUE_RQS);
        this.hasCommitRqs = callbacks.contains(BlkMqCallback.COMMIT_RQS);
        this.hasComplete = callbacks.contains(BlkMqCallback.COMPLETE);
        this.hasTimeout = callbacks.contains(BlkMqCallback.TIMEOUT);
        this.hasPoll = callbacks.contains(BlkMqCallback.POLL);
        this.hasInitHctx = callbacks.contains(BlkMqCallback.INIT_HCTX);
        this.hasExitHctx = callbacks.contains(BlkMqCallback.EXIT_HCTX);
        this.hasInitRequest = callbacks.contains(BlkMqCallback.INIT_REQUEST);
        this.hasExitRequest = callbacks.contains(BlkMqCallback.EXIT_REQUEST);
        this.hasMapQueues = callbacks.contains(BlkMqCallback.MAP_QUEUES);
        this.hasShowRq = callbacks.contains(BlkMqCallback.SHOW_RQ);
        this.nrCpuIds = b.nrCpuIds;
        this.nrHwQueues = clampToCpus(b.nrHwQueues, b.nrPollQueues);
        this.nrPollQueues = b.nrPollQueues;
        this.queueDepth = b.queueDepth;
        this.reservedTags = b.reservedTags;
        this.timeoutMs = b.timeout.toMillis();
        this.flags = b.flags.isEmpty() ? EnumSet.noneOf(TagSetFlag.class) : EnumSet.copyOf(b.flags);
        this.flags.remove(TagSetFlag.TAG_QUEUE_SHARED);
        this.blocking = flags.contains(TagSetFlag.BLOCKING);
        this.hctxShared = flags.contains(TagSetFlag.TAG_HCTX_SHARED);
        this.driverData = b.driverData;
        this.maps = buildMaps(nrHwQueues, nrPollQueues);
        this.tags = allocTags(nrHwQueues, queueDepth, null);
    }

    public static Builder builder(BlkMqOps ops) {
        return new Builder(ops);
    }

    // ---- accessors ------------------------------------------------------------------------

    public BlkMqOps ops() {
        return ops;
    }

    /** The optional callbacks the driver has (its non-NULL blk_mq_ops members). */
    public Set<BlkMqCallback> callbacks() {
        return EnumSet.copyOf(callbacks);
    }

    public int nrHwQueues() {
        return nrHwQueues;
    }

    public int nrPollQueues() {
        return nrPollQueues;
    }

    /** Tags per tag space, reserved tags included ({@code set->queue_depth}). */
    public int queueDepth() {
        return queueDepth;
    }

    public int reservedTags() {
        return reservedTags;
    }

    public Duration timeout() {
        return Duration.ofMillis(timeoutMs);
    }

    public Set<TagSetFlag> flags() {
        EnumSet<TagSetFlag> f = flags.isEmpty() ? EnumSet.noneOf(TagSetFlag.class) : EnumSet.copyOf(flags);
        if (queueShared) {
            f.add(TagSetFlag.TAG_QUEUE_SHARED);
        }
        return f;
    }

    /** {@code set->driver_data}. */
    public Object driverData() {
        return driverData;
    }

    public QueueMap map(HctxType type) {
        return maps[type.ordinal()];
    }

    /** The tags of hardware queue {@code hctxIdx} (the one shared space with TAG_HCTX_SHARED). */
    public Tags tags(int hctxIdx) {
        Tags[] t = tags;
        return t[hctxShared ? 0 : hctxIdx];
    }

    /** Disks using this tag set. */
    public int nrQueues() {
        return queues.size();
    }

    /** {@code nr_cpu_ids}: how many "CPUs" the queue maps spread over. */
    public int nrCpuIds() {
        return nrCpuIds;
    }

    /** {@code nr_cpu_ids} as {@link #NR_CPU_IDS_PROPERTY} sets it, else the available processors. */
    public static int defaultNrCpuIds() {
        return nrCpuIdsFrom(System.getProperty(NR_CPU_IDS_PROPERTY));
    }

    static int nrCpuIdsFrom(String v) {
        if (v == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(v.trim());
            checkRange("-D" + NR_CPU_IDS_PROPERTY, n, 1, MAX_CPU_IDS);
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + NR_CPU_IDS_PROPERTY + "=" + v + " is not a number: allowed 1.."
                    + MAX_CPU_IDS, e);
        }
    }

    // ---- maps and tags --------------------------------------------------------------------

    /**
     * {@code blk_mq_alloc_tag_set} / {@code blk_mq_update_nr_hw_queues}: with a single queue map
     * (no poll queues, no driver map_queues) more hardware queues than CPUs are of no use, and the
     * count is cut to {@code nr_cpu_ids}. With several maps the queues stay; the map spreads them.
     */
    private int clampToCpus(int nrHw, int nrPoll) {
        boolean singleMap = nrPoll == 0 && !hasMapQueues;
        return singleMap ? Math.min(nrHw, nrCpuIds) : nrHw;
    }

    private QueueMap[] buildMaps(int nrHw, int nrPoll) {
        QueueMap[] m = new QueueMap[HctxType.VALUES.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = new QueueMap(nrCpuIds);
        }
        m[HctxType.DEFAULT.ordinal()].setQueues(nrHw - nrPoll, 0);
        m[HctxType.READ.ordinal()].setQueues(0, 0);
        m[HctxType.POLL.ordinal()].setQueues(nrPoll, nrHw - nrPoll);
        if (hasMapQueues) {
            QueueMap[] saved = this.maps;
            this.maps = m;
            try {
                ops.mapQueues(this);
            } finally {
                this.maps = saved;
            }
        } else {
            for (QueueMap qm : m) {
                qm.mapQueues();
            }
        }
        // A map without queues uses the default map's hctxs (blk_mq_map_swqueue).
        for (HctxType t : HctxType.VALUES) {
            if (t != HctxType.DEFAULT && m[t.ordinal()].nrQueues() == 0) {
                m[t.ordinal()] = m[HctxType.DEFAULT.ordinal()].copy();
            }
        }
        return m;
    }

    /**
     * Allocates tag spaces and their requests for hctx indices {@code [0, nrHw)}, reusing those in
     * {@code keep} where the index and depth match. On a failing initRequest everything new is
     * torn down again and the exception propagates.
     */
    private Tags[] allocTags(int nrHw, int depth, Tags[] keep) {
        int n = hctxShared ? 1 : nrHw;
        Tags[] t = new Tags[n];
        List<Tags> created = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                if (keep != null && i < keep.length && keep[i].nrTags == depth) {
                    t[i] = keep[i];
                    continue;
                }
                Tags tg = new Tags(this, hctxShared ? 0 : i, depth, reservedTags);
                created.add(tg);
                initRequests(tg);
                t[i] = tg;
            }
        } catch (RuntimeException | Error e) {
            for (Tags tg : created) {
                exitRequests(tg);
            }
            throw e;
        }
        return t;
    }

    private void initRequests(Tags tg) {
        if (!hasInitRequest) {
            return;
        }
        int done = 0;
        try {
            for (; done < tg.nrTags; done++) {
                Request rq = tg.staticRqs[done];
                rq.pdu = ops.initRequest(this, rq, tg.hctxIdx);
            }
        } catch (RuntimeException e) {
            for (int i = 0; i < done; i++) {
                exitRequest(tg.staticRqs[i], tg.hctxIdx);
            }
            throw new IllegalStateException("driver initRequest failed for tag " + done + ": " + e, e);
        }
    }

    private void exitRequests(Tags tg) {
        for (Request rq : tg.staticRqs) {
            exitRequest(rq, tg.hctxIdx);
        }
    }

    private void exitRequest(Request rq, int hctxIdx) {
        if (hasExitRequest && rq.pdu != null) {
            try {
                ops.exitRequest(this, rq, hctxIdx);
            } catch (RuntimeException e) {
                BlkLog.driverException("exitRequest", e);
            }
        }
        rq.pdu = null;
    }

    // ---- disks ----------------------------------------------------------------------------

    void attach(RequestQueue q) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("tag set is closed");
            }
            queues.add(q);
            queueShared = queues.size() > 1;
        }
    }

    void detach(RequestQueue q) {
        synchronized (lock) {
            queues.remove(q);
            queueShared = queues.size() > 1;
        }
    }

    /**
     * {@code blk_mq_update_nr_hw_queues}: changes the number of hardware queues of every disk on
     * this set while I/O may be running. Every disk is frozen (in-flight I/O drains, submitters
     * wait), tags and hctxs are rebuilt and contexts remapped, then I/O resumes. If a driver's
     * initHctx or initRequest fails, every disk falls back to the previous count and the failure is
     * rethrown; no request is lost either way. With a single queue map the count is cut to
     * {@code nr_cpu_ids}, as the kernel does.
     *
     * @param nrPoll how many of the queues are poll queues
     */
    public void updateNrHwQueues(int nrHw, int nrPoll) {
        checkRange("nr_hw_queues", nrHw, 1, MAX_HW_QUEUES);
        checkRange("poll queues", nrPoll, 0, nrHw - 1);
        reconfigure(clampToCpus(nrHw, nrPoll), nrPoll, queueDepth);
    }

    /**
     * Changes the depth of every tag space ({@code queue/nr_requests}), frozen like
     * {@link #updateNrHwQueues}. Reserved tags are kept, so the depth must stay above them.
     */
    public void updateQueueDepth(int depth) {
        checkRange("queue_depth", depth, reservedTags + 1, MAX_DEPTH);
        reconfigure(nrHwQueues, nrPollQueues, depth);
    }

    private void reconfigure(int nrHw, int nrPoll, int depth) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("tag set is closed");
            }
            List<RequestQueue> qs = new ArrayList<>(queues);
            for (RequestQueue q : qs) {
                q.freeze();
            }
            int oldHw = nrHwQueues;
            int oldPoll = nrPollQueues;
            int oldDepth = queueDepth;
            Tags[] oldTags = tags;
            QueueMap[] oldMaps = maps;
            try {
                Tags[] newTags = allocTags(nrHw, depth, oldTags);
                QueueMap[] newMaps = buildMaps(nrHw, nrPoll);
                tags = newTags;
                maps = newMaps;
                nrHwQueues = nrHw;
                nrPollQueues = nrPoll;
                queueDepth = depth;
                List<HwQueue[]> prepared = new ArrayList<>();
                try {
                    for (RequestQueue q : qs) {
                        prepared.add(q.prepareHwCtxs(nrHw));
                    }
                } catch (RuntimeException e) {
                    // Fall back to the previous configuration everywhere (the kernel's "fallback to %d").
                    for (int i = 0; i < prepared.size(); i++) {
                        qs.get(i).abortHwCtxs(prepared.get(i));
                    }
                    tags = oldTags;
                    maps = oldMaps;
                    nrHwQueues = oldHw;
                    nrPollQueues = oldPoll;
                    queueDepth = oldDepth;
                    freeUnused(newTags, oldTags);
                    throw e;
                }
                for (int i = 0; i < qs.size(); i++) {
                    qs.get(i).commitHwCtxs(prepared.get(i));
                }
                freeUnused(oldTags, newTags);
            } finally {
                for (RequestQueue q : qs) {
                    q.unfreeze();
                }
            }
        }
    }

    private void freeUnused(Tags[] from, Tags[] stillUsed) {
        outer:
        for (Tags t : from) {
            for (Tags u : stillUsed) {
                if (u == t) {
                    continue outer;
                }
            }
            exitRequests(t);
        }
    }

    /** {@code blk_mq_free_tag_set}: releases the request cache; every disk must be closed first. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (!queues.isEmpty()) {
                throw new IllegalStateException("tag set still has " + queues.size() + " disk(s); close them first");
            }
            closed = true;
            for (Tags t : tags) {
                exitRequests(t);
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    static void checkRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " is out of range: allowed " + min + ".." + max);
        }
    }

    /** Builds a {@link TagSet}; each setter's value is checked at {@link #build()}. */
    public static final class Builder {
        private final BlkMqOps ops;
        private int nrHwQueues = 1;
        private int nrPollQueues;
        private int queueDepth = 64;
        private int reservedTags;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int nrCpuIds = defaultNrCpuIds();
        private final EnumSet<TagSetFlag> flags = EnumSet.noneOf(TagSetFlag.class);
        private Object driverData;
        private boolean hazardPointers;

        private Builder(BlkMqOps ops) {
            if (ops == null) {
                throw new IllegalArgumentException("ops must not be null");
            }
            this.ops = ops;
        }

        /** Hardware queues, poll queues included (1..256). */
        public Builder nrHwQueues(int n) {
            this.nrHwQueues = n;
            return this;
        }

        /** How many of the hardware queues are poll queues (the last ones). */
        public Builder nrPollQueues(int n) {
            this.nrPollQueues = n;
            return this;
        }

        /** Tags per tag space, reserved tags included (1..65536). */
        public Builder queueDepth(int depth) {
            this.queueDepth = depth;
            return this;
        }

        public Builder reservedTags(int n) {
            this.reservedTags = n;
            return this;
        }

        /** Request timeout ({@code set->timeout}); default 30 s. */
        public Builder timeout(Duration t) {
            this.timeout = t;
            return this;
        }

        /**
         * {@code nr_cpu_ids}: how many "CPUs" the queue maps spread over (default
         * {@link #defaultNrCpuIds()}). With one queue map, hardware queues beyond it are cut.
         */
        public Builder nrCpuIds(int n) {
            this.nrCpuIds = n;
            return this;
        }

        public Builder flag(TagSetFlag f) {
            flags.add(f);
            return this;
        }

        public Builder driverData(Object d) {
            this.driverData = d;
            return this;
        }

        /**
         * Tag iterators (timeout scan, in-flight counting, busy iteration) pin requests with
         * {@link HazardPointers} instead of {@code rq->ref}, and a tag is not reused while pinned;
         * jblk's model of HPREF for the hpref ownership strategy. Default false: the kernel's way.
         */
        public Builder hazardPointers(boolean on) {
            this.hazardPointers = on;
            return this;
        }

        public TagSet build() {
            checkRange("nr_hw_queues", nrHwQueues, 1, MAX_HW_QUEUES);
            checkRange("poll queues", nrPollQueues, 0, nrHwQueues - 1);
            checkRange("queue_depth", queueDepth, 1, MAX_DEPTH);
            checkRange("reserved_tags", reservedTags, 0, queueDepth - 1);
            checkRange("nr_cpu_ids", nrCpuIds, 1, MAX_CPU_IDS);
            if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toMillis() < 1) {
                throw new IllegalArgumentException("timeout " + timeout + " is out of range: allowed 1 ms or more");
            }
            return new TagSet(this);
        }
    }
}
