package jblk.blockcore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Models {@code struct gendisk} with its request queue ({@code blk_mq_alloc_disk} +
 * {@code add_disk} ... {@code del_gendisk}): a named disk of some capacity on a {@link TagSet},
 * which submitters reach through {@link #openQueue() software queues}. It exposes what sysfs and
 * debugfs show ({@link #stat()}, {@link #inflight()}, {@link #debugfs()}), quiesce and freeze, and
 * closes by draining in-flight I/O and reporting what the driver never ended.
 */
public final class GenDisk implements AutoCloseable {
    public static final int DISK_NAME_LEN = 32;

    private final String name;
    private volatile long capacity;
    private final QueueLimits limits;
    final TagSet set;
    final RequestQueue queue;
    private final Duration closeTimeout;
    private final List<Map.Entry<String, Supplier<String>>> debugSections = new CopyOnWriteArrayList<>();
    private final List<Consumer<CloseReport>> closeListeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile CloseReport closeReport;
    private volatile AllocationMap allocationMap;
    private volatile int minor = -1;
    /** Set once by a zoned driver before the disk is handed to submitters (see {@link #setZoned}). */
    DiskZones zones;

    /** Called by {@link AbstractGenDiskBuilder#buildDisk} once every setting is checked. */
    GenDisk(String name, TagSet set, long capacitySectors, QueueLimits limits, boolean iostats, Duration closeTimeout,
            ElevatorType scheduler) {
        this.name = name;
        this.capacity = capacitySectors;
        this.limits = limits;
        this.set = set;
        this.closeTimeout = closeTimeout;
        this.queue = new RequestQueue(this, set, iostats);
        // A second disk makes the set shared: freeze the others while the accounting switches on.
        List<RequestQueue> others = new ArrayList<>(set.queues);
        for (RequestQueue o : others) {
            o.freeze();
        }
        try {
            set.attach(queue);
            try {
                queue.initHwCtxs();
            } catch (RuntimeException e) {
                set.detach(queue);
                throw e;
            }
        } finally {
            for (RequestQueue o : others) {
                o.unfreeze();
            }
        }
        queue.installElevator(scheduler); // elevator_set_default: no submitter can exist yet
        queue.startThreads();
        minor = BlockDevices.add(this);
    }

    public static Builder builder(TagSet set) {
        return new Builder(set);
    }

    public String name() {
        return name;
    }

    /** Capacity in 512-byte sectors ({@code get_capacity}). */
    public long capacity() {
        return capacity;
    }

    /** {@code set_capacity}: I/O past the new end fails from now on. */
    public void setCapacity(long sectors) {
        checkCapacity(sectors);
        checkCapacityAligned(sectors, limits.logicalBlockSize());
        this.capacity = sectors;
    }

    static void checkCapacity(long sectors) {
        if (sectors < 0) {
            throw new IllegalArgumentException("capacity " + sectors + " is out of range: allowed 0 or more sectors");
        }
    }

    /** The disk name: 1..31 characters, no '/' ({@code DISK_NAME_LEN}). */
    static void checkName(String n) {
        if (n == null || n.isEmpty() || n.length() >= DISK_NAME_LEN || n.indexOf('/') >= 0) {
            throw new IllegalArgumentException("disk name '" + n + "' is invalid: allowed 1.."
                    + (DISK_NAME_LEN - 1) + " characters without '/'");
        }
    }

    /**
     * The capacity must be whole logical blocks, as the kernel's {@code set_capacity} callers
     * ensure: otherwise the last partial block could be neither read nor written, and range errors
     * near the end would name a range that is wrong for the disk.
     */
    static void checkCapacityAligned(long sectors, int logicalBlockSize) {
        long perBlock = (long) logicalBlockSize >>> Bio.SECTOR_SHIFT;
        if (sectors % perBlock != 0) {
            long down = sectors - sectors % perBlock;
            throw new IllegalArgumentException("capacity " + sectors
                    + " sectors is not a multiple of the logical block size "
                    + logicalBlockSize + " (" + perBlock + " sectors): allowed a multiple of " + perBlock
                    + " sectors, e.g. " + down + " or " + (down + perBlock));
        }
    }

    public QueueLimits limits() {
        return limits;
    }

    public TagSet tagSet() {
        return set;
    }

    /** Opens a submitting context (a "CPU"): see {@link SwQueue}. Close it when done. */
    public SwQueue openQueue() {
        if (closed) {
            throw new DiskClosedException(name + " is closed");
        }
        return queue.allocCtx();
    }

    /** The hardware queues (hctx0..n). */
    public List<HwQueue> hwQueues() {
        return List.of(queue.hctxs);
    }

    public HwQueue hwQueue(int i) {
        return queue.hctxs[i];
    }

    public int nrHwQueues() {
        return queue.hctxs.length;
    }

    /** The driver's allocation map, or null when it does not know (everything counts as data). */
    public AllocationMap allocationMap() {
        return allocationMap;
    }

    /** Set by a driver that knows which parts of the disk hold data. */
    public void setAllocationMap(AllocationMap map) {
        this.allocationMap = map;
    }

    /**
     * Makes this a zoned disk ({@code BLK_FEAT_ZONED} and the zone limits, then
     * {@code blk_revalidate_disk_zones}): {@code report} is the driver's report_zones. Call it
     * before any software queue is opened, as a driver sets its limits before {@code add_disk}.
     */
    public void setZoned(ZonedLimits limits, ReportZones report) {
        if (queue.ctxs().length != 0 || zones != null) {
            throw new IllegalStateException(name + ": zoned limits are set once, before any software queue is opened");
        }
        zones = DiskZones.revalidate(this, limits, report);
    }

    /** The zones of a zoned disk, or null ({@code bdev_is_zoned}). */
    public DiskZones zones() {
        return zones;
    }

    /** {@code blkdev_report_zones}: IllegalStateException when the disk is not zoned. */
    public int reportZones(long sector, int nrZones, ReportZones.Callback cb) {
        DiskZones z = zones;
        if (z == null) {
            throw new IllegalStateException(name + " is not a zoned disk: it has no zones to report");
        }
        return z.report(sector, nrZones, cb);
    }

    // ---- control ---------------------------------------------------------------------------

    /** {@code blk_mq_quiesce_queue}: when this returns no queueRq runs until {@link #unquiesce()}. */
    public void quiesce() {
        queue.quiesce();
    }

    public void unquiesce() {
        queue.unquiesce();
    }

    public boolean isQuiesced() {
        return queue.isQuiesced();
    }

    /** {@code blk_mq_freeze_queue}: new submitters wait; returns when in-flight I/O has drained. */
    public void freeze() {
        queue.freeze();
    }

    public void unfreeze() {
        queue.unfreeze();
    }

    public boolean isFrozen() {
        return queue.freezeDepth != 0;
    }

    /** {@code q->mq_freeze_depth}: how many freezes are in force (they nest). */
    public int freezeDepth() {
        return queue.freezeDepth;
    }

    /**
     * Writing {@code queue/scheduler}: switches the I/O scheduler ("none", "mq-deadline") live; the
     * queue is frozen and quiesced meanwhile ({@code elevator_change}). Unknown names throw
     * {@link IllegalArgumentException} naming the allowed ones.
     */
    public void setScheduler(String name) {
        queue.switchElevator(ElevatorType.byName(name));
    }

    /** The I/O scheduler attached now. */
    public ElevatorType scheduler() {
        return queue.elevatorType();
    }

    /** {@code q->nr_requests}. */
    public int nrRequests() {
        return queue.nrRequests;
    }

    /** Writing {@code queue/nr_requests} (the queue is frozen meanwhile); see the kernel's limits. */
    public void setNrRequests(int nr) {
        queue.updateNrRequests(nr);
    }

    /** Writing {@code queue/iosched/<name>}: a tunable of the attached scheduler. */
    public void setIoschedTunable(String name, String value) {
        Elevator e = queue.elevator;
        if (e == null) {
            throw new IllegalArgumentException(this.name + " has no I/O scheduler: queue/iosched/" + name
                    + " does not exist");
        }
        e.setTunable(name, value);
    }

    /** The queue/iostats switch: accounting on or off (off saves two clock reads per I/O). */
    public void setIostats(boolean on) {
        queue.iostats = on;
    }

    public boolean iostats() {
        return queue.iostats;
    }

    // ---- what sysfs and debugfs show -----------------------------------------------------------

    /** /sys/block/&lt;dev&gt;/stat: the 17 fields. */
    public String stat() {
        return queue.stats.stat();
    }

    /** The 17 stat fields as numbers, in /sys/block/&lt;dev&gt;/stat order. */
    public long[] statFields() {
        return queue.stats.fields();
    }

    /** The disk's minor number in {@link BlockDevices#procDiskstats()}; -1 before it is added. */
    public int minor() {
        return minor;
    }

    /** /sys/block/&lt;dev&gt;/queue/: file name to content ({@code nr_requests}, limits, ...). */
    public Map<String, String> sysfsQueue() {
        return QueueSysfs.render(queue);
    }

    /** /sys/block/&lt;dev&gt;/inflight: "reads writes" in the driver. */
    public String inflight() {
        return queue.stats.inflight();
    }

    /** One stat field by name (see {@link StatField}): no text to parse. */
    public long stat(StatField field) {
        return statFields()[field.index()];
    }

    /** Reads in the driver now (started, not completed): the first number of {@link #inflight()}. */
    public int inFlightReads() {
        return queue.stats.inflightCounts()[0];
    }

    /** Writes (WRITE, FLUSH, DISCARD, WRITE_ZEROES: {@code op_is_write}) in the driver now. */
    public int inFlightWrites() {
        return queue.stats.inflightCounts()[1];
    }

    /**
     * Tags this disk's requests hold on hw queue {@code hctxIdx} (allocated, not yet freed), as
     * the debugfs {@code hctxN/busy} file lists them; other disks sharing the tags are not counted.
     */
    public int busyTags(int hctxIdx) {
        if (hctxIdx < 0 || hctxIdx >= queue.hctxs.length) {
            throw new IllegalArgumentException("hw queue " + hctxIdx + " is out of range: allowed 0.."
                    + (queue.hctxs.length - 1));
        }
        HwQueue h = queue.hctxs[hctxIdx];
        return h.tags.forEachBusy(queue, h, RequestQueue::initialised);
    }

    /**
     * The blk-mq debugfs tree for this disk, file name to content: per hctx {@code state},
     * {@code dispatch}, {@code busy}, {@code tags}, {@code type}, {@code active} and per software
     * context {@code cpuN/<type>_rq_list}; the queue's {@code state}, {@code freeze_depth} (jblk's)
     * and {@code requeue_list}; and sections binding layers add.
     */
    public Map<String, String> debugfs() {
        Map<String, String> m = new LinkedHashMap<>(BlkMqDebugfs.render(queue));
        for (Map.Entry<String, Supplier<String>> e : debugSections) {
            m.put(e.getKey(), e.getValue().get());
        }
        return m;
    }

    /** All of {@link #debugfs()} as one text, each file under a "# name" header. */
    public String debugInfo() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : debugfs().entrySet()) {
            sb.append("# ").append(name).append('/').append(e.getKey()).append('\n').append(e.getValue());
            if (!e.getValue().endsWith("\n")) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** Adds a file to {@link #debugfs()} (a binding layer's counters, say). */
    public void addDebugSection(String file, Supplier<String> content) {
        debugSections.add(Map.entry(file, content));
    }

    /** Called with the report when the disk closes, before it is logged. */
    public void addCloseListener(Consumer<CloseReport> l) {
        closeListeners.add(l);
    }

    // ---- close -----------------------------------------------------------------------------------

    /**
     * {@code del_gendisk}: refuse new I/O, drain what is in flight (waiting at most the close
     * timeout), report every request the driver never ended, stop the disk's threads and release
     * the hctxs. The report is logged and kept in {@link #closeReport()}.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        queue.closeCtxs();
        if (zones != null) {
            zones.shutdown(); // disk_free_zone_resources: plugged writes fail, the plug worker stops
        }
        boolean drained = queue.drain(closeTimeout.toMillis());
        long nowMs = System.nanoTime() / 1_000_000L;
        List<CloseReport.Leaked> leaked = new ArrayList<>();
        for (Request rq : queue.allocatedRequests()) {
            leaked.add(new CloseReport.Leaked(rq.hctx.queueNum, rq.tag, rq.op, rq.sector, rq.nrBytes,
                    RequestState.stateName(rq.state()), Math.max(0, nowMs - rq.allocMs)));
        }
        CloseReport report = new CloseReport(name, drained, leaked);
        for (Consumer<CloseReport> l : closeListeners) {
            try {
                l.accept(report);
            } catch (RuntimeException e) {
                BlkLog.LOG.log(System.Logger.Level.ERROR, "close listener failed: " + e, e);
            }
        }
        closeReport = report;
        BlockDevices.remove(this);
        queue.destroy();
        if (!leaked.isEmpty()) {
            BlkLog.warn(report.toString());
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** What {@link #close()} found; null while the disk is open. */
    public CloseReport closeReport() {
        return closeReport;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Builds a {@link GenDisk} on a raw tag set; values are checked when set (see {@link AbstractGenDiskBuilder}). */
    public static final class Builder extends AbstractGenDiskBuilder<Builder> {
        private final TagSet set;
        private String name = "jblk0";

        private Builder(TagSet set) {
            if (set == null) {
                throw new IllegalArgumentException("tag set must not be null");
            }
            this.set = set;
        }

        /** The disk name: 1..31 characters, no '/' (DISK_NAME_LEN). */
        public Builder name(String n) {
            checkName(n);
            this.name = n;
            return this;
        }

        public GenDisk build() {
            return buildDisk(name, set);
        }
    }
}
