package jblk.blockcore;

import java.time.Duration;

/**
 * The settings both disk builders share, as {@code blk_mq_alloc_disk} takes them: capacity, the
 * {@code struct queue_limits} a driver fills in, iostats and jblk's close timeout. Each value is
 * checked when it is set, with one message written here for both: {@link GenDisk.Builder} (the C
 * style, bound to a raw tag set) and the binding's {@code GenDiskBuilder} (the Rust style, given
 * the name and tag set at build) extend it.
 *
 * @param <B> the concrete builder, so the setters chain
 */
public abstract class AbstractGenDiskBuilder<B extends AbstractGenDiskBuilder<B>> {
    /** {@code -Djblk.scheduler=none|mq-deadline}: the scheduler of disks whose builder names none. */
    public static final String SCHEDULER_PROPERTY = "jblk.scheduler";

    long capacitySectors;
    int logicalBlockSize = QueueLimits.MIN_BLOCK_SIZE;
    int physicalBlockSize = QueueLimits.MIN_BLOCK_SIZE;
    int maxSectors;
    long maxDiscardSectors;
    long maxWriteZeroesSectors;
    boolean rotational;
    boolean writeCache;
    boolean fua = true;
    boolean virtBoundary;
    boolean iostats = true;
    Duration closeTimeout = Duration.ofSeconds(5);
    ElevatorType scheduler;

    /** For the two builders only (this package's and the binding's). */
    protected AbstractGenDiskBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Capacity in 512-byte sectors ({@code set_capacity}); 0 or more, whole logical blocks at build. */
    public B capacitySectors(long sectors) {
        GenDisk.checkCapacity(sectors);
        this.capacitySectors = sectors;
        return self();
    }

    /**
     * Logical block size: a power of two in 512..4096 ({@code logical_block_size} returns EINVAL
     * otherwise); raises the physical size to match.
     */
    public B logicalBlockSize(int size) {
        QueueLimits.validateBlockSize("logical block size", size);
        this.logicalBlockSize = size;
        if (physicalBlockSize < size) {
            physicalBlockSize = size;
        }
        return self();
    }

    /** Physical block size: a power of two in 512..4096, not below the logical size (checked at build). */
    public B physicalBlockSize(int size) {
        QueueLimits.validateBlockSize("physical block size", size);
        this.physicalBlockSize = size;
        return self();
    }

    /** {@code max_hw_sectors} in 512-byte sectors; 0 = the block layer default (255). */
    public B maxSectors(int sectors) {
        if (sectors != 0 && (sectors < 8 || sectors > 1 << 22)) {
            throw new IllegalArgumentException("max_sectors " + sectors
                    + " is out of range: allowed 0 (default) or 8.." + (1 << 22));
        }
        this.maxSectors = sectors;
        return self();
    }

    /** Largest DISCARD in sectors; 0 = DISCARD not supported. */
    public B maxDiscardSectors(long sectors) {
        this.maxDiscardSectors = nonNegative("max_discard_sectors", sectors);
        return self();
    }

    /** Largest WRITE_ZEROES in sectors; 0 = not supported. */
    public B maxWriteZeroesSectors(long sectors) {
        this.maxWriteZeroesSectors = nonNegative("max_write_zeroes_sectors", sectors);
        return self();
    }

    private static long nonNegative(String name, long sectors) {
        if (sectors < 0) {
            throw new IllegalArgumentException(name + " " + sectors + " is negative: allowed 0 or more");
        }
        return sectors;
    }

    public B rotational(boolean r) {
        this.rotational = r;
        return self();
    }

    /** A volatile write cache (FLUSH and FUA are passed to the driver). */
    public B writeCache(boolean wc) {
        this.writeCache = wc;
        return self();
    }

    /** With a write cache: the device honours FUA (else FUA is not passed down). */
    public B fua(boolean f) {
        this.fua = f;
        return self();
    }

    public B virtBoundary(boolean v) {
        this.virtBoundary = v;
        return self();
    }

    /** Accounting on (default) or off: the queue/iostats switch. */
    public B iostats(boolean on) {
        this.iostats = on;
        return self();
    }

    /**
     * The I/O scheduler the disk starts with ({@code queue/scheduler}): "none" or "mq-deadline".
     * Unset, the system property {@value #SCHEDULER_PROPERTY} decides, else the kernel's default
     * ({@link ElevatorType#defaultFor}: mq-deadline on one hardware queue unless the tag set has
     * NO_SCHED_BY_DEFAULT).
     */
    public B scheduler(String name) {
        this.scheduler = name == null ? null : ElevatorType.byName(name);
        return self();
    }

    /** How long close waits for in-flight I/O before reporting it as never ended (default 5 s). */
    public B closeTimeout(Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("close timeout " + d + " is invalid: allowed 0 or more");
        }
        this.closeTimeout = d;
        return self();
    }

    /**
     * Checks what depends on more than one value, then builds and adds the disk
     * ({@code blk_mq_alloc_disk} + {@code add_disk}). Nothing is attached to {@code set} when a
     * check fails.
     */
    protected final GenDisk buildDisk(String name, TagSet set) {
        if (physicalBlockSize < logicalBlockSize) {
            throw new IllegalArgumentException("physical block size " + physicalBlockSize
                    + " is below the logical block size " + logicalBlockSize + ": allowed "
                    + logicalBlockSize + ".." + QueueLimits.MAX_BLOCK_SIZE);
        }
        GenDisk.checkName(name);
        GenDisk.checkCapacityAligned(capacitySectors, logicalBlockSize);
        if (set.isClosed()) {
            throw new IllegalStateException("tag set is closed");
        }
        QueueLimits limits = new QueueLimits(logicalBlockSize, physicalBlockSize, maxSectors, maxDiscardSectors,
                maxWriteZeroesSectors, rotational, writeCache, fua, virtBoundary);
        return new GenDisk(name, set, capacitySectors, limits, iostats, closeTimeout, schedulerFor(set));
    }

    /** The builder's choice, else {@value #SCHEDULER_PROPERTY}, else the kernel's default. */
    private ElevatorType schedulerFor(TagSet set) {
        if (scheduler != null) {
            return scheduler;
        }
        String p = System.getProperty(SCHEDULER_PROPERTY);
        if (p != null && !p.isBlank()) {
            return ElevatorType.byName(p);
        }
        return ElevatorType.defaultFor(set);
    }
}
