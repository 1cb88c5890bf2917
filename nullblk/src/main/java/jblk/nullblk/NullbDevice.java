package jblk.nullblk;

import java.time.Duration;
import java.util.Random;
import java.util.function.UnaryOperator;
import jblk.blockcore.AbstractGenDiskBuilder;
import jblk.blockcore.BlkMqOps;
import jblk.blockcore.GenDisk;
import jblk.blockcore.TagSet;
import jblk.blockcore.TagSetFlag;
import jblk.safety.GenDiskBuilder;
import jblk.safety.Operations;
import jblk.safety.Ownership;
import jblk.safety.Violations;

/**
 * Models one null_blk device as configfs shows it ({@code /sys/kernel/config/nullb/<name>}):
 * attributes set with {@link #set}, then {@link #power(boolean) power} on to create the disk and
 * off to remove it. While powered only {@code submit_queues}, {@code poll_queues},
 * {@code badblocks} and {@code iostats} may change (others give EBUSY, as in the kernel). The data
 * of a memory-backed device survives power-off, as the kernel's radix tree does.
 */
public final class NullbDevice implements AutoCloseable {
    /** null_blk's request timeout ({@code set->timeout = 5 * HZ}). */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private NullbParams params;
    private final DriverKind driver;
    private final Ownership ownership;
    private final SharedSet shared;
    private final BadBlocks badblocks = new BadBlocks();
    private Random random = new Random();
    private long memoryBudget = PagePool.defaultBudget();
    private Duration timeout = TIMEOUT;
    private int nrCpuIds = TagSet.defaultNrCpuIds();
    private UnaryOperator<BlkMqOps> rawWrapper = UnaryOperator.identity();
    private UnaryOperator<Operations<NullCmd, NullQueue>> safeWrapper = UnaryOperator.identity();

    private MemoryBacking memory;
    private NullBlkEngine engine;
    private GenDisk disk;
    private TagSet rawSet;
    private jblk.safety.TagSet<NullCmd, NullQueue> safeSet;
    private RawNullBlk rawOps;
    private NullBlk safeOps;

    /** A device of its own tag set. */
    public NullbDevice(String name, NullbParams params, DriverKind driver, Ownership ownership) {
        this(name, params, driver, ownership, null);
    }

    NullbDevice(String name, NullbParams params, DriverKind driver, Ownership ownership, SharedSet shared) {
        this.name = name;
        this.params = params.copy();
        this.driver = driver;
        this.ownership = ownership;
        this.shared = shared;
        if (!params.badblocks().isEmpty()) {
            badblocks.apply("badblocks", params.badblocks());
        }
    }

    /** Fault injection decides with this generator: a seed makes a run reproducible. */
    public NullbDevice seed(long seed) {
        this.random = new Random(seed);
        return this;
    }

    /** The most memory (bytes) a memory-backed device may use before writes fail with NOSPC. */
    public NullbDevice memoryBudget(long bytes) {
        this.memoryBudget = bytes;
        return this;
    }

    /**
     * Wraps the raw driver's ops before its tag set is built (tools that inject driver bugs or
     * trace calls). The wrapper should report the wrapped ops' {@link BlkMqOps#callbacks()}.
     */
    public NullbDevice wrapRaw(UnaryOperator<BlkMqOps> wrapper) {
        this.rawWrapper = wrapper;
        return this;
    }

    /** Wraps the safe driver's operations before its tag set is built (see {@link #wrapRaw}). */
    public NullbDevice wrapSafe(UnaryOperator<Operations<NullCmd, NullQueue>> wrapper) {
        this.safeWrapper = wrapper;
        return this;
    }

    /**
     * The modelled {@code nr_cpu_ids} (default {@link TagSet#defaultNrCpuIds()}): null_blk cuts
     * submit_queues to it at power-on and refuses more while powered.
     */
    public NullbDevice nrCpuIds(int n) {
        if (n < 1 || n > TagSet.MAX_CPU_IDS) {
            throw new IllegalArgumentException("nr_cpu_ids " + n + " is out of range: allowed 1.."
                    + TagSet.MAX_CPU_IDS);
        }
        this.nrCpuIds = n;
        return this;
    }

    /** The request timeout (the kernel's queue/io_timeout; null_blk sets 5 s). */
    public NullbDevice timeout(Duration t) {
        this.timeout = t;
        return this;
    }

    public String name() {
        return name;
    }

    public NullbParams params() {
        return params.copy();
    }

    public DriverKind driver() {
        return driver;
    }

    public Ownership ownership() {
        return ownership;
    }

    public synchronized boolean isPowered() {
        return disk != null;
    }

    /** The disk while powered, for submission ({@link GenDisk#openQueue()}). */
    public synchronized GenDisk disk() {
        if (disk == null) {
            throw new IllegalStateException(name + " is not powered");
        }
        return disk;
    }

    public synchronized NullBlkEngine engine() {
        return engine;
    }

    /** Ownership violations counted on this device (safe driver; null for the raw one). */
    public synchronized Violations violations() {
        return safeSet == null || disk == null ? null : safeSet.violations(disk);
    }

    /** The safe driver's tag set (for tagToRq and the like); null for the raw driver. */
    public synchronized jblk.safety.TagSet<NullCmd, NullQueue> safeTagSet() {
        return safeSet;
    }

    /** The configfs value of an attribute. */
    public synchronized String get(String attr) {
        if (attr.equals("power")) {
            return isPowered() ? "1" : "0";
        }
        if (attr.equals("badblocks")) {
            return badblocks.toString();
        }
        return params.get(attr);
    }

    /**
     * Writes a configfs attribute. While powered, only submit_queues, poll_queues (the hardware
     * queues are rebuilt under I/O), badblocks and iostats may change.
     */
    public synchronized void set(String attr, String value) {
        if (attr.equals("power")) {
            power(NullbParams.parseBool("power", value));
            return;
        }
        if (attr.equals("zone_readonly") || attr.equals("zone_offline")) {
            setZoneCond(attr, value);
            return;
        }
        NullbParams.Def d = NullbParams.def(attr);
        if (disk != null && !d.live()) {
            throw new IllegalStateException(attr + " cannot change while " + name
                    + " is powered (EBUSY): allowed while powered: submit_queues, poll_queues, badblocks, iostats");
        }
        if (attr.equals("badblocks")) {
            badblocks.apply("badblocks", value);
            return;
        }
        NullbParams next = params.copy().set(attr, value);
        next.validate();
        if (disk != null && (attr.equals("submit_queues") || attr.equals("poll_queues"))) {
            if (shared != null) {
                throw new IllegalStateException(attr + " cannot change on a device with shared_tags=1 (EINVAL)");
            }
            if (next.submitQueues() > nrCpuIds) {
                // nullb_update_nr_hw_queues: null_init_hctx must not index past nullb->queues[]
                throw new IllegalArgumentException("submit_queues=" + next.submitQueues() + " is out of range while "
                        + name + " is powered: allowed 1.." + nrCpuIds + " (nr_cpu_ids) (EINVAL)");
            }
            if (rawSet != null) {
                rawSet.updateNrHwQueues(next.submitQueues() + next.pollQueues(), next.pollQueues());
            } else {
                safeSet.updateNrHwQueues(next.submitQueues() + next.pollQueues(), next.pollQueues());
            }
        }
        if (disk != null && attr.equals("iostats")) {
            disk.setIostats(next.iostats());
        }
        params = next;
    }

    /** configfs {@code zone_readonly} / {@code zone_offline} ({@code zone_cond_store}): a sector of the zone. */
    private void setZoneCond(String attr, String value) {
        if (!params.zoned()) {
            throw new IllegalArgumentException(attr + " needs a zoned device: " + name + " has zoned=0 (EINVAL)");
        }
        if (disk == null) {
            throw new IllegalArgumentException(attr + " needs a powered device: " + name + " is not powered (EINVAL)");
        }
        long sector;
        try {
            sector = Long.decode(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(attr + "=" + value + " is invalid: allowed a sector number (EINVAL)");
        }
        engine.zoned.setZoneCond(attr, sector, attr.equals("zone_readonly")
                ? jblk.blockcore.BlkZoneCond.READONLY : jblk.blockcore.BlkZoneCond.OFFLINE);
    }

    /** Zone-layout notes from power-on (the kernel's pr_info when it clamps a zoned parameter). */
    public synchronized java.util.List<String> zoneNotes() {
        return engine == null || engine.zoned == null ? java.util.List.of() : engine.zoned.cfg.notes();
    }

    /** configfs {@code power}: 1 creates the disk, 0 removes it (data stays for memory_backed). */
    public synchronized void power(boolean on) {
        if (on == (disk != null)) {
            return;
        }
        if (on) {
            powerOn();
        } else {
            powerOff();
        }
    }

    private void powerOn() {
        if (params.submitQueues() > nrCpuIds) {
            // null_validate_conf: more submission queues than CPUs are cut to nr_cpu_ids, silently
            params = params.copy().set("submit_queues", Integer.toString(nrCpuIds));
        }
        if (params.memoryBacked() && memory == null) {
            memory = new MemoryBacking(new PagePool(memoryBudget), params.capacitySectors() << 9,
                    params.cacheSizeMiB() << 20);
        }
        engine = new NullBlkEngine(name, params, params.memoryBacked() ? memory : null, badblocks, random);
        try {
            if (driver == DriverKind.RAW) {
                rawOps = shared != null ? shared.rawOps() : new RawNullBlk();
                rawOps.devices.register(engine);
                rawSet = shared != null ? shared.rawSet() : rawTagSet(rawOps);
                disk = limits(GenDisk.builder(rawSet).name(name)).build();
            } else {
                safeOps = shared != null ? shared.safeOps() : new NullBlk();
                safeOps.devices.register(engine);
                safeSet = shared != null ? shared.safeSet() : safeTagSet(safeOps);
                disk = limits(new GenDiskBuilder()).build(name, safeSet);
            }
            if (engine.zoned != null) {
                try {
                    disk.setZoned(engine.zoned.limits(), engine.zoned);
                } catch (RuntimeException e) {
                    disk.close();
                    disk = null;
                    throw e;
                }
            }
        } catch (RuntimeException e) {
            cleanupAfterFailedPowerOn();
            throw e;
        }
        if (memory != null) {
            MemoryBacking mem = memory;
            disk.setAllocationMap(new jblk.blockcore.AllocationMap() {
                @Override
                public int granularity() {
                    return PagePool.PAGE_SIZE;
                }

                @Override
                public boolean isMapped(long offset) {
                    return mem.isMapped(offset >>> PagePool.PAGE_SHIFT);
                }
            });
        }
        engine.start(disk);
    }

    private void cleanupAfterFailedPowerOn() {
        releaseDriver();
        engine = null;
    }

    /** Forgets this device in its driver and closes its own tag set (not a shared one). */
    private void releaseDriver() {
        if (rawOps != null) {
            rawOps.devices.unregister(engine);
        }
        if (safeOps != null) {
            safeOps.devices.unregister(engine);
        }
        if (shared == null) {
            if (rawSet != null) {
                rawSet.close();
            }
            if (safeSet != null) {
                safeSet.close();
            }
        }
        rawSet = null;
        safeSet = null;
    }

    TagSet rawTagSet(RawNullBlk ops) {
        TagSet.Builder b = TagSet.builder(rawWrapper.apply(ops))
                .nrHwQueues(params.submitQueues() + params.pollQueues())
                .nrPollQueues(params.pollQueues())
                .queueDepth(params.hwQueueDepth())
                .timeout(timeout)
                .nrCpuIds(nrCpuIds);
        if (params.blocking()) {
            b.flag(TagSetFlag.BLOCKING);
        }
        if (params.sharedTagBitmap()) {
            b.flag(TagSetFlag.TAG_HCTX_SHARED);
        }
        if (params.noSched()) {
            b.flag(TagSetFlag.NO_SCHED_BY_DEFAULT); // null_add_dev: BLK_MQ_F_NO_SCHED_BY_DEFAULT
        }
        return b.build();
    }

    jblk.safety.TagSet<NullCmd, NullQueue> safeTagSet(NullBlk ops) {
        return jblk.safety.TagSet.builder(safeWrapper.apply(ops))
                .nrHwQueues(params.submitQueues() + params.pollQueues())
                .nrPollQueues(params.pollQueues())
                .queueDepth(params.hwQueueDepth())
                .timeout(timeout)
                .nrCpuIds(nrCpuIds)
                .blocking(params.blocking())
                .sharedTagBitmap(params.sharedTagBitmap())
                .noSchedByDefault(params.noSched())
                .ownership(ownership)
                .build();
    }

    /** The disk's settings from the parameters, for either driver's builder (null_add_dev's lim). */
    private <B extends AbstractGenDiskBuilder<B>> B limits(B b) {
        long unlimited = 0xFFFF_FFFFL >>> 9;
        return b.capacitySectors(params.capacitySectors())
                .logicalBlockSize(params.blockSize())
                .physicalBlockSize(params.blockSize())
                .maxSectors(params.maxSectors())
                .maxDiscardSectors(params.discard() && !params.zoned() ? unlimited : 0)
                .maxWriteZeroesSectors(params.memoryBacked() && !params.zoned() ? unlimited : 0)
                .writeCache(params.cacheSizeMiB() > 0)
                .fua(params.fua())
                .rotational(params.rotational())
                .virtBoundary(params.virtBoundary())
                .iostats(params.iostats());
    }

    private void powerOff() {
        GenDisk d = disk;
        engine.stop();
        d.close();
        releaseDriver();
        if (memory != null) {
            memory.flush(); // the cache goes with the power; its data is written back first
        }
        disk = null;
    }

    /** Bytes of memory the device's pages use (memory_backed). */
    public synchronized long memoryUsed() {
        return memory == null ? 0 : memory.pagesInUse() << PagePool.PAGE_SHIFT;
    }

    /** Powers off and frees the storage (configfs rmdir). */
    @Override
    public synchronized void close() {
        power(false);
        memory = null;
    }

    @Override
    public String toString() {
        return name + " (" + driver + (driver == DriverKind.SAFE ? ", ownership " + ownership : "") + ") " + params;
    }

    /** The tag set several devices share with shared_tags=1, made from the first device's parameters. */
    static final class SharedSet {
        private final NullbDevice first;
        private RawNullBlk rawOps;
        private NullBlk safeOps;
        private TagSet rawSet;
        private jblk.safety.TagSet<NullCmd, NullQueue> safeSet;

        SharedSet(NullbDevice first) {
            this.first = first;
        }

        RawNullBlk rawOps() {
            if (rawOps == null) {
                rawOps = new RawNullBlk();
            }
            return rawOps;
        }

        NullBlk safeOps() {
            if (safeOps == null) {
                safeOps = new NullBlk();
            }
            return safeOps;
        }

        TagSet rawSet() {
            if (rawSet == null) {
                rawSet = first.rawTagSet(rawOps());
            }
            return rawSet;
        }

        jblk.safety.TagSet<NullCmd, NullQueue> safeSet() {
            if (safeSet == null) {
                safeSet = first.safeTagSet(safeOps());
            }
            return safeSet;
        }

        void close() {
            if (rawSet != null) {
                rawSet.close();
            }
            if (safeSet != null) {
                safeSet.close();
            }
        }
    }
}
