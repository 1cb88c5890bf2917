package jblk.safety;

import jblk.blockcore.spi.RequestWord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.CloseReport;
import jblk.blockcore.GenDisk;
import jblk.blockcore.QueueLimits;
import jblk.blockcore.Request;
import jblk.blockcore.RequestState;

/**
 * Models the Rust binding's {@code GenDiskBuilder}: name, capacity, block sizes, rotational, max
 * sectors (and jblk's extras: discard, write zeroes, write cache, iostats), each checked as it is
 * set with a clear error. {@link #build} returns the blockcore disk, with the binding's ownership
 * counters in its debugfs and, in DEBUG mode, a leak report at close that says where each request
 * the driver never ended was issued.
 */
public final class GenDiskBuilder {
    private long capacitySectors;
    private int logicalBlockSize = 512;
    private int physicalBlockSize = 512;
    private boolean rotational;
    private int maxSectors;
    private long maxDiscardSectors;
    private long maxWriteZeroesSectors;
    private boolean writeCache;
    private boolean fua = true;
    private boolean virtBoundary;
    private boolean iostats = true;
    private Duration closeTimeout = Duration.ofSeconds(5);

    /** A builder with the kernel's defaults (512-byte blocks, no capacity yet). */
    public GenDiskBuilder() {
    }

    public GenDiskBuilder capacitySectors(long sectors) {
        if (sectors < 0) {
            throw new IllegalArgumentException("capacity " + sectors + " is out of range: allowed 0 or more sectors");
        }
        this.capacitySectors = sectors;
        return this;
    }

    /** A power of two in 512..4096 ({@code logical_block_size} returns EINVAL otherwise). */
    public GenDiskBuilder logicalBlockSize(int size) {
        QueueLimits.validateBlockSize("logical block size", size);
        this.logicalBlockSize = size;
        if (physicalBlockSize < size) {
            physicalBlockSize = size;
        }
        return this;
    }

    /** A power of two in 512..4096, not below the logical block size. */
    public GenDiskBuilder physicalBlockSize(int size) {
        QueueLimits.validateBlockSize("physical block size", size);
        this.physicalBlockSize = size;
        return this;
    }

    public GenDiskBuilder rotational(boolean r) {
        this.rotational = r;
        return this;
    }

    /** In 512-byte sectors; 0 = the block layer default. */
    public GenDiskBuilder maxSectors(int sectors) {
        if (sectors != 0 && (sectors < 8 || sectors > 1 << 22)) {
            throw new IllegalArgumentException("max_sectors " + sectors + " is out of range: allowed 0 (default) or 8.."
                    + (1 << 22));
        }
        this.maxSectors = sectors;
        return this;
    }

    public GenDiskBuilder maxDiscardSectors(long sectors) {
        if (sectors < 0) {
            throw new IllegalArgumentException("max_discard_sectors " + sectors + " is negative: allowed 0 or more");
        }
        this.maxDiscardSectors = sectors;
        return this;
    }

    public GenDiskBuilder maxWriteZeroesSectors(long sectors) {
        if (sectors < 0) {
            throw new IllegalArgumentException("max_write_zeroes_sectors " + sectors + " is negative: allowed 0 or more");
        }
        this.maxWriteZeroesSectors = sectors;
        return this;
    }

    public GenDiskBuilder writeCache(boolean wc) {
        this.writeCache = wc;
        return this;
    }

    /** With a write cache: the device honours FUA (else FUA is not passed down). */
    public GenDiskBuilder fua(boolean f) {
        this.fua = f;
        return this;
    }

    public GenDiskBuilder virtBoundary(boolean v) {
        this.virtBoundary = v;
        return this;
    }

    public GenDiskBuilder iostats(boolean on) {
        this.iostats = on;
        return this;
    }

    public GenDiskBuilder closeTimeout(Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("close timeout " + d + " is invalid: allowed 0 or more");
        }
        this.closeTimeout = d;
        return this;
    }

    /** Builds and adds the disk ({@code blk_mq_alloc_disk} + {@code add_disk}). */
    public <T, H> GenDisk build(String name, TagSet<T, H> set) {
        if (physicalBlockSize < logicalBlockSize) {
            throw new IllegalArgumentException("physical block size " + physicalBlockSize
                    + " is below the logical block size " + logicalBlockSize + ": allowed " + logicalBlockSize
                    + ".." + QueueLimits.MAX_BLOCK_SIZE);
        }
        GenDisk disk = GenDisk.builder(set.raw)
                .name(name)
                .capacitySectors(capacitySectors)
                .logicalBlockSize(logicalBlockSize)
                .physicalBlockSize(physicalBlockSize)
                .rotational(rotational)
                .maxSectors(maxSectors)
                .maxDiscardSectors(maxDiscardSectors)
                .maxWriteZeroesSectors(maxWriteZeroesSectors)
                .writeCache(writeCache)
                .fua(fua)
                .virtBoundary(virtBoundary)
                .iostats(iostats)
                .closeTimeout(closeTimeout)
                .build();
        OperationsVTable<T, H> vt = set.vt;
        Violations v = vt.violations(disk);
        disk.addDebugSection("ownership", () -> v.render(vt.mode));
        if (vt.mode == Ownership.DEBUG) {
            disk.addCloseListener(report -> leakReport(report, set));
        }
        if (vt.mode != Ownership.OFF) {
            disk.addCloseListener(report -> endLeaked(report, set));
        }
        return disk;
    }

    /**
     * CHECKED and DEBUG: a request the driver still holds when the disk closes is ended here with
     * IOERR (CLOSE in {@link OwnershipWord}: its submitter gets an answer), so a late end through the
     * driver's handle is refused instead of completing a bio on a closed disk.
     */
    private static <T, H> void endLeaked(CloseReport report, TagSet<T, H> set) {
        for (CloseReport.Leaked l : report.leaked()) {
            Request rq = set.raw.tags(l.hctx()).tagToRq(l.tag());
            if (OperationsVTable.forceEnd(rq, RequestState.generation(RequestWord.lvWord(rq)), BlkStatus.IOERR,
                    OwnershipWord.CLOSE)) {
                report.addNote("tag " + l.tag() + " on hw queue " + l.hctx()
                        + ": ended with IOERR at close; a later end through the driver's handle is refused");
            }
        }
    }

    /** DEBUG: for each request never ended, where the driver got it. */
    private static <T, H> void leakReport(CloseReport report, TagSet<T, H> set) {
        List<String> notes = new ArrayList<>();
        for (CloseReport.Leaked l : report.leaked()) {
            Request rq = set.raw.tags(l.hctx()).tagToRq(l.tag());
            RequestData<T> w = OperationsVTable.wrapper(rq);
            DebugRecord rec = w == null ? null : w.debug;
            if (rec != null && rec.gen == RequestState.generation(RequestWord.laWord(rq))) {
                notes.add("leak: tag " + l.tag() + " was never ended by the driver\n"
                        + OperationsVTable.trace("issued", rec.issued).stripTrailing());
            } else {
                notes.add("leak: tag " + l.tag() + " was never issued to the driver (queued when the disk closed)");
            }
        }
        notes.forEach(report::addNote);
    }
}
