package jblk.blockcore;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Models the zoned half of {@code struct gendisk} and block/blk-zoned.c: the zone geometry
 * checked by {@code blk_revalidate_disk_zones}, the conventional-zone bitmap, {@code
 * blkdev_report_zones}, the bio checks of {@code submit_bio_noacct} for zone operations
 * ({@code blk_check_zone_append}), and zone write plugging ({@code blk_zone_plug_bio}): writes to
 * a sequential zone reach the driver one at a time, in submission order, each at the write pointer
 * the plug tracks; a ZONE_APPEND is emulated with such a write when the driver takes none.
 *
 * <p>Locks: one monitor per {@link ZoneWritePlug}; no disk-wide lock on the I/O path. A plug's
 * monitor may be held while the driver's report takes the driver's zone lock, never the reverse.
 */
public final class DiskZones {
    /** Bio zone flags: resubmitted by the plug worker ({@code BIO_ZONE_WRITE_PLUGGING}): do not plug again. */
    static final int BIO_RESUBMIT = 1;
    /** {@code BIO_EMULATES_ZONE_APPEND}: a ZONE_APPEND turned into a WRITE at the plug's write pointer. */
    static final int BIO_EMULATED_APPEND = 2;
    /** A RESET or FINISH whose failure leaves the plug's write pointer unknown. */
    static final int BIO_MGMT = 4;

    private final GenDisk disk;
    private final ZonedLimits limits;
    private final ReportZones driver;
    private final long zoneMask;
    private final int zoneShift;
    private final int nrZones;
    private final BitSet conventional = new BitSet();
    private final AtomicReferenceArray<ZoneWritePlug> plugs;
    private final ZoneWplugWorker worker;
    private volatile boolean dead;

    private DiskZones(GenDisk disk, ZonedLimits limits, ReportZones driver) {
        this.disk = disk;
        this.limits = limits;
        this.driver = driver;
        this.zoneMask = limits.chunkSectors() - 1;
        this.zoneShift = Long.numberOfTrailingZeros(limits.chunkSectors());
        long cap = disk.capacity();
        long n = (cap + zoneMask) >>> zoneShift;
        if (cap == 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(disk.name() + ": capacity " + cap + " sectors with zone size "
                    + limits.chunkSectors() + " is invalid for a zoned disk: allowed 1.." + Integer.MAX_VALUE
                    + " zones");
        }
        this.nrZones = (int) n;
        this.plugs = new AtomicReferenceArray<>(nrZones);
        this.worker = new ZoneWplugWorker(disk, this);
    }

    /**
     * {@code blk_revalidate_disk_zones}: reports every zone and checks the layout (zones of
     * chunk_sectors, contiguous, only the last one smaller, capacity within the length).
     */
    static DiskZones revalidate(GenDisk disk, ZonedLimits limits, ReportZones driver) {
        DiskZones z = new DiskZones(disk, limits, driver);
        long[] next = {0};
        int got = driver.reportZones(0, z.nrZones, (zone, idx) -> {
            long expectLen = Math.min(limits.chunkSectors(), disk.capacity() - next[0]);
            if (zone.start() != next[0] || zone.len() != expectLen || zone.capacity() > zone.len()) {
                throw new IllegalArgumentException(disk.name() + ": zone " + idx + " " + zone
                        + " is invalid: expected start " + next[0] + ", len " + expectLen + ", capacity <= len");
            }
            if (zone.type() == BlkZoneType.CONVENTIONAL) {
                z.conventional.set(idx);
            }
            next[0] += zone.len();
        });
        if (got != z.nrZones) {
            throw new IllegalArgumentException(disk.name() + ": the driver reported " + got + " zones, expected "
                    + z.nrZones);
        }
        return z;
    }

    public ZonedLimits limits() {
        return limits;
    }

    /** {@code chunk_sectors}: the zone size in sectors. */
    public long zoneSectors() {
        return limits.chunkSectors();
    }

    /** {@code disk->nr_zones}. */
    public int nrZones() {
        return nrZones;
    }

    /** {@code disk_zone_no}. */
    public int zoneNo(long sector) {
        return (int) (sector >>> zoneShift);
    }

    public boolean isConventional(int zoneNo) {
        return conventional.get(zoneNo);
    }

    /** {@code blkdev_report_zones}: at most {@code nrZones} zones from the one holding {@code sector}. */
    public int report(long sector, int nrZones, ReportZones.Callback cb) {
        if (sector < 0 || nrZones < 0) {
            throw new IllegalArgumentException("report zones: sector " + sector + " and count " + nrZones
                    + " must not be negative");
        }
        if (sector >= disk.capacity() || nrZones == 0) {
            return 0;
        }
        return driver.reportZones(sector, nrZones, cb);
    }

    /** The whole report, as a list (tools; allocates). */
    public List<BlkZone> reportAll() {
        List<BlkZone> out = new ArrayList<>(nrZones);
        report(0, nrZones, (zone, idx) -> out.add(zone));
        return out;
    }

    // ---- submit_bio_noacct's checks for zone operations ------------------------------------------

    /**
     * The checks for ZONE_APPEND and the management ops, after the buffer checks of
     * {@link BioChecks#check}: completes a refused bio and returns false.
     */
    static boolean checkZoneBio(GenDisk disk, Bio bio) {
        DiskZones z = disk.zones;
        ReqOp op = bio.op();
        long sector = bio.sector();
        long nr = (long) bio.size() >>> Bio.SECTOR_SHIFT;
        long cap = disk.capacity();
        QueueLimits lim = disk.limits();
        BlkStatus st = BlkStatus.IOERR;
        String err = null;
        if (op.isZoneMgmt() && bio.size() != 0) {
            throw new IllegalArgumentException(op + " carries no data: size must be 0, got " + bio.size());
        }
        if (z == null) {
            st = BlkStatus.NOTSUPP;
            err = op + " is not supported by " + disk.name() + ": it is not a zoned disk";
        } else if (op == ReqOp.ZONE_RESET_ALL) {
            if (sector != 0) {
                st = BlkStatus.INVAL;
                err = "ZONE_RESET_ALL sector " + sector + " is invalid: allowed 0";
            }
        } else if (sector < 0 || sector >= cap) {
            err = op + " sector " + sector + " is beyond the end of " + disk.name() + ": allowed 0.." + (cap - 1);
        } else if ((sector & z.zoneMask) != 0) {
            // blkdev_zone_mgmt refuses it with EINVAL; blk_check_zone_append with IOERR
            st = op == ReqOp.ZONE_APPEND ? BlkStatus.IOERR : BlkStatus.INVAL;
            err = op + " sector " + sector + " is not the start of a zone (zone size " + z.zoneSectors()
                    + " sectors): allowed a multiple of " + z.zoneSectors();
        } else if (op == ReqOp.ZONE_APPEND) {
            int lbs = lim.logicalBlockSize();
            long maxAppend = z.limits.maxZoneAppendSectors() == 0 ? lim.maxSectors() : z.limits.maxZoneAppendSectors();
            if (bio.size() == 0 || (bio.size() & (lbs - 1)) != 0) {
                st = BlkStatus.INVAL;
                err = "ZONE_APPEND size " + bio.size()
                        + " is invalid: allowed a positive multiple of the logical block size "
                        + lbs;
            } else if (nr > z.zoneSectors() || nr > maxAppend || nr > cap - sector) {
                err = "ZONE_APPEND of " + nr + " sectors exceeds max_zone_append_sectors " + maxAppend
                        + " or the zone size " + z.zoneSectors();
            } else {
                return true;
            }
        } else {
            return true;
        }
        if (err == null) {
            return true;
        }
        bio.complete(st, 0, err);
        BlkMq.callEndIo(bio);
        return false;
    }

    // ---- zone write plugging -------------------------------------------------------------------

    /**
     * {@code blk_zone_plug_bio}, called by submitBio after the bio checks: true when the bio was
     * taken (plugged behind a write in flight, or completed with an error), false when the caller
     * goes on and submits it. Also refuses READ/WRITE across a zone boundary (the kernel splits
     * such bios at chunk_sectors; jblk does not split).
     */
    boolean plugBio(Bio bio) {
        if ((bio.zoneFlags & BIO_RESUBMIT) != 0) {
            bio.zoneFlags &= ~BIO_RESUBMIT;
            return false;
        }
        ReqOp op = bio.op();
        long sector = bio.sector();
        switch (op) {
            case READ:
            case WRITE: {
                long last = sector + (bio.size() >>> Bio.SECTOR_SHIFT) - 1;
                if ((sector >>> zoneShift) != (last >>> zoneShift)) {
                    fail(bio, BlkStatus.INVAL, op + " of sectors " + sector + ".." + last + " crosses a zone boundary"
                            + " (zone size " + zoneSectors() + " sectors): allowed within one zone");
                    return true;
                }
                return op == ReqOp.WRITE && handleWrite(bio, zoneNo(sector));
            }
            case ZONE_APPEND:
                if (limits.maxZoneAppendSectors() != 0) {
                    // native: the driver picks the position; the plug learns it from the driver later
                    ZoneWritePlug p = plugs.get(zoneNo(sector));
                    if (p != null) {
                        synchronized (p) {
                            p.needWpUpdate = true;
                        }
                    }
                    return false;
                }
                return handleWrite(bio, zoneNo(sector));
            case ZONE_RESET:
            case ZONE_FINISH:
                if (!conventional.get(zoneNo(sector))) {
                    ZoneWritePlug p = plug(zoneNo(sector));
                    setWpOffset(p, op == ReqOp.ZONE_RESET ? 0 : -2, op + " of the zone");
                    bio.zonePlug = p;
                    bio.zoneFlags |= BIO_MGMT;
                }
                return false;
            case ZONE_RESET_ALL:
                for (int i = 0; i < nrZones; i++) {
                    ZoneWritePlug p = plugs.get(i);
                    if (p != null) {
                        setWpOffset(p, 0, "ZONE_RESET_ALL");
                    }
                }
                return false;
            default:
                return false;
        }
    }

    /** {@code blk_zone_wplug_handle_write}: plug behind a write in flight, or prepare and go. */
    private boolean handleWrite(Bio bio, int zno) {
        if (conventional.get(zno)) {
            if (bio.op() == ReqOp.ZONE_APPEND) {
                fail(bio, BlkStatus.IOERR, "ZONE_APPEND to conventional zone " + zno
                        + ": allowed sequential zones only");
                return true;
            }
            return false;
        }
        ZoneWritePlug p = plug(zno);
        String err;
        synchronized (p) {
            if (dead) {
                err = disk.name() + " is closing";
            } else if (p.plugged) {
                p.bios.add(bio);
                return true;
            } else {
                p.plugged = true;
                err = prepare(p, bio);
            }
        }
        if (err != null) {
            fail(bio, BlkStatus.IOERR, err);
            release(p);
            return true;
        }
        return false;
    }

    /**
     * {@code blk_zone_wplug_prepare_bio}, under the plug's monitor: a write must start at the
     * plug's write pointer of a zone that is not full; an emulated append becomes a WRITE there.
     * Returns null when the bio may go, else why not.
     */
    private String prepare(ZoneWritePlug p, Bio bio) {
        if (p.needWpUpdate) {
            syncWpOffset(p);
        }
        long nr = (long) bio.size() >>> Bio.SECTOR_SHIFT;
        if (p.wpOffset == BlkZone.WP_INVALID || p.wpOffset >= p.capacity) {
            p.needWpUpdate = true; // a zone toggled back to EMPTY (configfs) gets writable again
            return bio.op() + " to zone " + p.zoneNo + " refused: the zone is "
                    + (p.wpOffset == BlkZone.WP_INVALID ? "read-only or offline" : "full");
        }
        if (bio.op() == ReqOp.ZONE_APPEND) {
            bio.op(ReqOp.WRITE).sector(p.start + p.wpOffset);
            bio.zoneFlags |= BIO_EMULATED_APPEND;
        } else if (bio.sector() - p.start != p.wpOffset) {
            p.needWpUpdate = true;
            return "unaligned write to zone " + p.zoneNo + ": sector " + bio.sector() + ", but the write pointer is at "
                    + (p.start + p.wpOffset) + " (sequential zones take writes at the write pointer only)";
        }
        p.wpOffset += nr;
        bio.zonePlug = p;
        return null;
    }

    /** {@code disk_zone_wplug_sync_wp_offset}: ask the driver where the write pointer is. */
    private void syncWpOffset(ZoneWritePlug p) {
        BlkZone[] got = new BlkZone[1];
        driver.reportZones(p.start, 1, (zone, idx) -> got[0] = zone);
        BlkZone zone = got[0];
        p.capacity = zone.capacity();
        if (zone.cond() == BlkZoneCond.READONLY || zone.cond() == BlkZoneCond.OFFLINE
                || zone.wp() == BlkZone.WP_INVALID) {
            p.wpOffset = BlkZone.WP_INVALID;
        } else if (zone.cond() == BlkZoneCond.FULL) {
            p.wpOffset = zone.capacity();
        } else {
            p.wpOffset = zone.wp() - zone.start();
        }
        p.needWpUpdate = false;
    }

    /**
     * {@code disk_zone_wplug_set_wp_offset} for RESET (0), FINISH (-2: the capacity) and
     * RESET_ALL: the writes still waiting were written for the old write pointer and fail
     * ({@code disk_zone_wplug_abort}).
     */
    private void setWpOffset(ZoneWritePlug p, long wp, String why) {
        List<Bio> aborted;
        synchronized (p) {
            if (p.needWpUpdate) {
                syncWpOffset(p);
            }
            p.wpOffset = wp == -2 ? p.capacity : wp;
            if (p.bios.isEmpty()) {
                return;
            }
            aborted = new ArrayList<>(p.bios);
            p.bios.clear();
        }
        for (Bio b : aborted) {
            fail(b, BlkStatus.IOERR, b.op() + " to zone " + p.zoneNo + " aborted: " + why + " while it was plugged");
        }
    }

    /** The zone's plug, made on first use with the write pointer the driver reports. */
    private ZoneWritePlug plug(int zno) {
        ZoneWritePlug p = plugs.get(zno);
        if (p != null) {
            return p;
        }
        ZoneWritePlug fresh = new ZoneWritePlug(this, zno, (long) zno << zoneShift);
        synchronized (fresh) {
            syncWpOffset(fresh);
        }
        // the CAS publishes the fields set under the monitor above; a loser uses the winner's plug
        return plugs.compareAndSet(zno, null, fresh) ? fresh : plugs.get(zno);
    }

    /**
     * {@code blk_zone_write_plug_bio_endio}, from the completion of a bio that holds a plug,
     * before its callback runs (the callback may reuse the bio): an emulated append turns back
     * into a ZONE_APPEND whose sector is where it wrote; a failed write makes the plug ask the
     * driver for the write pointer; the next waiting write is scheduled.
     */
    static void bioEndio(Bio bio) {
        ZoneWritePlug p = bio.zonePlug;
        int flags = bio.zoneFlags;
        bio.zonePlug = null;
        bio.zoneFlags = 0;
        if ((flags & BIO_EMULATED_APPEND) != 0) {
            bio.op(ReqOp.ZONE_APPEND);
        }
        if (bio.status() != BlkStatus.OK) {
            synchronized (p) {
                p.needWpUpdate = true;
            }
        }
        if ((flags & BIO_MGMT) == 0) {
            p.owner.release(p);
        }
    }

    /** The write in flight is done: the next waiting one goes to the worker, or the plug opens. */
    void release(ZoneWritePlug p) {
        synchronized (p) {
            if (p.bios.isEmpty()) {
                p.plugged = false;
                return;
            }
        }
        worker.schedule(p);
    }

    /**
     * {@code blk_zone_wplug_bio_work}, on the worker: the next waiting write that still fits the
     * write pointer, or the plug opens. Returns the bio to submit (marked as resubmitted), or null.
     */
    Bio nextPlugged(ZoneWritePlug p) {
        while (true) {
            Bio bio;
            String err;
            synchronized (p) {
                bio = p.bios.poll();
                if (bio == null) {
                    p.plugged = false;
                    return null;
                }
                err = dead ? disk.name() + " is closing" : prepare(p, bio);
            }
            if (err == null) {
                bio.zoneFlags |= BIO_RESUBMIT;
                return bio;
            }
            fail(bio, BlkStatus.IOERR, err);
        }
    }

    /** The worker could not submit a prepared bio (the disk closed under it): fail it; its plug opens. */
    static void submitFailed(Bio bio, String why) {
        bio.zoneFlags &= ~BIO_RESUBMIT;
        fail(bio, BlkStatus.IOERR, why); // bioEndio runs inside callEndIo and releases the plug
    }

    private static void fail(Bio bio, BlkStatus st, String why) {
        bio.complete(st, 0, why);
        BlkMq.callEndIo(bio);
    }

    /** At del_gendisk: waiting writes fail, new ones are refused, the worker stops. */
    void shutdown() {
        dead = true;
        for (int i = 0; i < nrZones; i++) {
            ZoneWritePlug p = plugs.get(i);
            if (p == null) {
                continue;
            }
            List<Bio> aborted;
            synchronized (p) {
                aborted = new ArrayList<>(p.bios);
                p.bios.clear();
            }
            for (Bio b : aborted) {
                fail(b, BlkStatus.IOERR, b.op() + " to zone " + i + " aborted: " + disk.name() + " was closed");
            }
        }
        worker.stop();
    }

    /** Writes waiting in plugs (debugfs {@code zone_wplugs}). */
    public int pluggedWrites() {
        int n = 0;
        for (int i = 0; i < nrZones; i++) {
            ZoneWritePlug p = plugs.get(i);
            if (p != null) {
                synchronized (p) {
                    n += p.bios.size();
                }
            }
        }
        return n;
    }
}
