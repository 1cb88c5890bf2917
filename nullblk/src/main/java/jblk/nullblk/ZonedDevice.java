package jblk.nullblk;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.BlkZone;
import jblk.blockcore.BlkZoneCond;
import jblk.blockcore.BlkZoneType;
import jblk.blockcore.ReportZones;
import jblk.blockcore.ReqOp;
import jblk.blockcore.ZonedLimits;

/**
 * Models drivers/block/null_blk/zoned.c: a zoned null_blk device's zones ({@code dev->zones}),
 * the open/closed counters under {@code zone_res_lock}, and {@code null_process_zoned_cmd} with
 * its write, append, read and management paths, {@code null_report_zones} and the configfs
 * {@code zone_readonly} / {@code zone_offline} actions. Shared by both drivers through the engine.
 *
 * <p>Locks: one per zone on the I/O path; {@code resLock} only where a zone enters or leaves an
 * open or closed state, and only when a limit is set. Order: a zone lock, then resLock. An implicit
 * close needs a second zone: it only tries that zone's lock (never waits for it while holding
 * resLock) and, when every implicitly open zone is busy, drops resLock and retries: the holders of
 * those zones never wait for a zone lock, so they finish and the retry succeeds. The kernel closes
 * the other zone without its lock; jblk keeps its write pointer and condition exact instead.
 */
final class ZonedDevice implements ReportZones {
    final ZoneConfig cfg;
    final Zone[] zones;
    private final int zoneShift;
    private final NullBlkEngine engine;
    private final ReentrantLock resLock = new ReentrantLock();
    // guarded by resLock
    private int nrImpOpen;
    private int nrExpOpen;
    private int nrClosed;
    private int impCloseZoneNo;

    ZonedDevice(ZoneConfig cfg, NullBlkEngine engine) {
        this.cfg = cfg;
        this.engine = engine;
        this.zoneShift = Long.numberOfTrailingZeros(cfg.zoneSectors());
        this.zones = new Zone[cfg.nrZones()];
        long sector = 0;
        for (int i = 0; i < cfg.nrConv(); i++) {
            long len = cfg.zoneSectors();
            zones[i] = new Zone(i, sector, len, len, BlkZoneType.CONVENTIONAL, BlkZoneCond.NOT_WP, sector + len);
            sector += len;
        }
        for (int i = cfg.nrConv(); i < cfg.nrZones(); i++) {
            long len = Math.min(cfg.zoneSectors(), cfg.capacitySectors() - sector);
            long cap = Math.min(len, cfg.zoneCapSectors());
            zones[i] = cfg.full()
                    ? new Zone(i, sector, len, cap, BlkZoneType.SEQWRITE_REQ, BlkZoneCond.FULL, sector + cap)
                    : new Zone(i, sector, len, cap, BlkZoneType.SEQWRITE_REQ, BlkZoneCond.EMPTY, sector);
            sector += len;
        }
        this.impCloseZoneNo = cfg.nrConv();
    }

    /** The queue limits null_blk sets ({@code null_init_zoned_dev}'s second half). */
    ZonedLimits limits() {
        return new ZonedLimits(cfg.zoneSectors(), cfg.maxOpen(), cfg.maxActive(), cfg.appendMaxSectors());
    }

    int zoneNo(long sector) {
        return (int) (sector >>> zoneShift);
    }

    /** The counters {@code nr_zones_imp_open, exp_open, closed} (tests and debugfs). */
    int[] counters() {
        resLock.lock();
        try {
            return new int[] {nrImpOpen, nrExpOpen, nrClosed};
        } finally {
            resLock.unlock();
        }
    }

    // ---- null_report_zones ----------------------------------------------------------------------

    @Override
    public int reportZones(long sector, int nrZones, Callback cb) {
        int first = zoneNo(sector);
        if (first >= zones.length) {
            return 0;
        }
        int n = Math.min(nrZones, zones.length - first);
        for (int i = 0; i < n; i++) {
            Zone z = zones[first + i];
            BlkZone snap;
            z.lock();
            try {
                snap = z.snapshot(); // a copy: the callback may keep or change it
            } finally {
                z.unlock();
            }
            cb.zone(snap, i);
        }
        return n;
    }

    // ---- null_process_zoned_cmd -----------------------------------------------------------------

    BlkStatus processCmd(NullCmd cmd, ReqOp op, long sector, int bytes, ByteBuffer buf, int off, int flags) {
        switch (op) {
            case WRITE:
                return write(cmd, sector, bytes >>> 9, false, buf, off, flags);
            case ZONE_APPEND:
                return write(cmd, sector, bytes >>> 9, true, buf, off, flags);
            case ZONE_OPEN:
            case ZONE_CLOSE:
            case ZONE_FINISH:
            case ZONE_RESET:
            case ZONE_RESET_ALL:
                return mgmt(op, sector);
            default:
                Zone z = zones[zoneNo(sector)];
                z.lock();
                try {
                    if (z.cond == BlkZoneCond.OFFLINE) {
                        return BlkStatus.IOERR;
                    }
                    return op == ReqOp.READ ? read(cmd, z, sector, bytes, buf, off, flags)
                            : engine.processPlain(cmd, op, sector, bytes, buf, off, flags);
                } finally {
                    z.unlock();
                }
        }
    }

    /** A read under the zone lock: badblocks, then data below the write pointer, zeros above it. */
    private BlkStatus read(NullCmd cmd, Zone z, long sector, int bytes, ByteBuffer buf, int off, int flags) {
        long nr = (long) bytes >>> 9;
        BlkStatus bb = engine.badblocks(cmd, sector, nr);
        long good = cmd.partialBytes >= 0 ? cmd.partialBytes >>> 9 : nr;
        if (engine.memory != null && good != 0) {
            int valid = validReadLen(z, sector, (int) (good << 9));
            if (valid > 0) {
                BlkStatus st = engine.memory.transfer(ReqOp.READ, sector, valid, buf, off, flags);
                if (st != BlkStatus.OK) {
                    return st;
                }
            }
            for (int i = valid; i < (int) (good << 9); i++) {
                buf.put(off + i, (byte) 0);
            }
        }
        return bb;
    }

    /** {@code null_zone_valid_read_len}: bytes of {@code len} at {@code sector} below the write pointer. */
    static int validReadLen(Zone z, long sector, int len) {
        if (z.isConventional() || z.wp == BlkZone.WP_INVALID) {
            return len;
        }
        if (sector >= z.wp) {
            return 0;
        }
        return (int) Math.min(len, (z.wp - sector) << 9);
    }

    /** {@code null_zone_write}: WRITE at the write pointer, or ZONE_APPEND (which reports the sector). */
    private BlkStatus write(NullCmd cmd, long sector, long nr, boolean append, ByteBuffer buf, int off, int flags) {
        Zone z = zones[zoneNo(sector)];
        if (z.isConventional()) {
            return append ? BlkStatus.IOERR
                    : engine.processPlain(cmd, ReqOp.WRITE, sector, (int) (nr << 9), buf, off, flags);
        }
        z.lock();
        try {
            if (append) {
                if (cfg.appendMaxSectors() == 0 || z.wp == BlkZone.WP_INVALID) {
                    return BlkStatus.IOERR; // the block layer emulates appends when append_max is 0
                }
                sector = z.wp;
                cmd.appendSector = sector;
            }
            // FULL, READONLY and OFFLINE fail here too: their write pointer never matches
            if (sector != z.wp || z.wp + nr > z.start + z.capacity) {
                return BlkStatus.IOERR;
            }
            if (z.cond == BlkZoneCond.EMPTY || z.cond == BlkZoneCond.CLOSED) {
                if (cfg.resMgmt()) {
                    BlkStatus st = lockAndCheckResources(z);
                    if (st != BlkStatus.OK) {
                        return st;
                    }
                    try {
                        if (z.cond == BlkZoneCond.CLOSED) {
                            nrClosed--;
                        }
                        nrImpOpen++;
                        z.cond = BlkZoneCond.IMP_OPEN;
                    } finally {
                        resLock.unlock();
                    }
                } else {
                    z.cond = BlkZoneCond.IMP_OPEN;
                }
            }
            BlkStatus bb = engine.badblocks(cmd, sector, nr);
            long good = cmd.partialBytes >= 0 ? cmd.partialBytes >>> 9 : nr;
            if (good == 0 && bb != BlkStatus.OK) {
                return bb;
            }
            if (engine.memory != null) {
                BlkStatus st = engine.memory.transfer(ReqOp.WRITE, sector, (int) (good << 9), buf, off, flags);
                if (st != BlkStatus.OK) {
                    return st;
                }
            }
            z.wp += good;
            if (z.wp == z.start + z.capacity) {
                if (cfg.resMgmt()) {
                    resLock.lock();
                    try {
                        dropOpen(z);
                        z.cond = BlkZoneCond.FULL;
                    } finally {
                        resLock.unlock();
                    }
                } else {
                    z.cond = BlkZoneCond.FULL;
                }
            }
            return bb;
        } finally {
            z.unlock();
        }
    }

    /** Under resLock: an open zone leaves the open counts. */
    private void dropOpen(Zone z) {
        if (z.cond == BlkZoneCond.EXP_OPEN) {
            nrExpOpen--;
        } else if (z.cond == BlkZoneCond.IMP_OPEN) {
            nrImpOpen--;
        }
    }

    // ---- resources (need_zone_res_mgmt) ---------------------------------------------------------

    /**
     * {@code null_check_zone_resources} for {@code z} (locked by the caller), under resLock, which
     * is still held when this returns OK (the caller moves the counters, then unlocks). Retries
     * while an implicit close is due but every implicitly open zone is busy (see the class comment).
     */
    @SuppressWarnings("LockNotBeforeTry") // returns with the lock held on OK: the caller unlocks (see above)
    private BlkStatus lockAndCheckResources(Zone z) {
        while (true) {
            resLock.lock();
            BlkStatus st = checkZoneResources(z);
            if (st == BlkStatus.OK) {
                return st;
            }
            resLock.unlock();
            if (st != null) {
                return st;
            }
            Thread.onSpinWait();
        }
    }

    /** EMPTY: the active check, then the open check; CLOSED: the open check. Null: retry. */
    private BlkStatus checkZoneResources(Zone z) {
        switch (z.cond) {
            case EMPTY:
                BlkStatus st = checkActive();
                return st != BlkStatus.OK ? st : checkOpen(z);
            case CLOSED:
                return checkOpen(z);
            default:
                return BlkStatus.IOERR; // the kernel WARNs: only EMPTY and CLOSED zones need resources
        }
    }

    /** {@code null_check_active}. */
    private BlkStatus checkActive() {
        if (cfg.maxActive() == 0 || nrExpOpen + nrImpOpen + nrClosed < cfg.maxActive()) {
            return BlkStatus.OK;
        }
        return BlkStatus.ZONE_ACTIVE_RESOURCE;
    }

    /** {@code null_check_open}: room, or room made by implicitly closing an IMP_OPEN zone. Null: retry. */
    private BlkStatus checkOpen(Zone self) {
        if (cfg.maxOpen() == 0 || nrExpOpen + nrImpOpen < cfg.maxOpen()) {
            return BlkStatus.OK;
        }
        if (nrImpOpen > 0 && checkActive() == BlkStatus.OK) {
            return closeImpOpenZone(self) ? BlkStatus.OK : null;
        }
        return BlkStatus.ZONE_OPEN_RESOURCE;
    }

    /**
     * {@code null_close_imp_open_zone}: round robin from {@code imp_close_zone_no}, the first
     * IMP_OPEN zone whose lock is free is closed. False when every one was busy.
     */
    private boolean closeImpOpenZone(Zone self) {
        int nrConv = cfg.nrConv();
        int zno = impCloseZoneNo >= zones.length ? nrConv : impCloseZoneNo;
        for (int i = nrConv; i < zones.length; i++) {
            Zone z = zones[zno];
            zno = zno + 1 >= zones.length ? nrConv : zno + 1;
            if (z == self || z.cond != BlkZoneCond.IMP_OPEN || !z.tryLock()) {
                continue;
            }
            try {
                if (z.cond == BlkZoneCond.IMP_OPEN) { // re-read under its lock
                    closeLocked(z);
                    impCloseZoneNo = zno;
                    return true;
                }
            } finally {
                z.unlock();
            }
        }
        return false;
    }

    /** {@code __null_close_zone} under resLock and the zone's lock: counters, then the condition. */
    private void closeLocked(Zone z) {
        dropOpen(z);
        if (z.wp > z.start) {
            nrClosed++;
        }
        z.cond = z.wp == z.start ? BlkZoneCond.EMPTY : BlkZoneCond.CLOSED;
    }

    // ---- null_zone_mgmt ---------------------------------------------------------------------------

    private BlkStatus mgmt(ReqOp op, long sector) {
        if (op == ReqOp.ZONE_RESET_ALL) {
            for (int i = cfg.nrConv(); i < zones.length; i++) {
                Zone z = zones[i];
                z.lock();
                try {
                    if (z.cond != BlkZoneCond.EMPTY && z.cond != BlkZoneCond.READONLY
                            && z.cond != BlkZoneCond.OFFLINE) {
                        reset(z);
                    }
                } finally {
                    z.unlock();
                }
            }
            return BlkStatus.OK;
        }
        Zone z = zones[zoneNo(sector)];
        if (z.isConventional()) {
            return BlkStatus.IOERR;
        }
        z.lock();
        try {
            if (z.cond == BlkZoneCond.READONLY || z.cond == BlkZoneCond.OFFLINE) {
                return BlkStatus.IOERR;
            }
            switch (op) {
                case ZONE_OPEN:
                    return open(z);
                case ZONE_CLOSE:
                    return close(z);
                case ZONE_FINISH:
                    return finish(z);
                case ZONE_RESET:
                    return reset(z);
                default:
                    return BlkStatus.NOTSUPP;
            }
        } finally {
            z.unlock();
        }
    }

    /** {@code null_open_zone}. */
    private BlkStatus open(Zone z) {
        BlkZoneCond c = z.cond;
        if (c == BlkZoneCond.EXP_OPEN) {
            return BlkStatus.OK; // not an error
        }
        if (c != BlkZoneCond.EMPTY && c != BlkZoneCond.IMP_OPEN && c != BlkZoneCond.CLOSED) {
            return BlkStatus.IOERR;
        }
        if (!cfg.resMgmt()) {
            z.cond = BlkZoneCond.EXP_OPEN;
            return BlkStatus.OK;
        }
        if (c == BlkZoneCond.IMP_OPEN) {
            resLock.lock();
            nrImpOpen--;
        } else {
            BlkStatus st = lockAndCheckResources(z);
            if (st != BlkStatus.OK) {
                return st;
            }
            if (c == BlkZoneCond.CLOSED) {
                nrClosed--;
            }
        }
        try {
            nrExpOpen++;
            z.cond = BlkZoneCond.EXP_OPEN;
        } finally {
            resLock.unlock();
        }
        return BlkStatus.OK;
    }

    /** {@code null_close_zone}. */
    private BlkStatus close(Zone z) {
        BlkZoneCond c = z.cond;
        if (c == BlkZoneCond.CLOSED) {
            return BlkStatus.OK; // not an error
        }
        if (c != BlkZoneCond.IMP_OPEN && c != BlkZoneCond.EXP_OPEN) {
            return BlkStatus.IOERR; // EMPTY, FULL
        }
        if (!cfg.resMgmt()) {
            z.cond = z.wp == z.start ? BlkZoneCond.EMPTY : BlkZoneCond.CLOSED;
            return BlkStatus.OK;
        }
        resLock.lock();
        try {
            closeLocked(z);
        } finally {
            resLock.unlock();
        }
        return BlkStatus.OK;
    }

    /** {@code null_finish_zone}: FULL with the write pointer at the zone's end (len, not capacity). */
    private BlkStatus finish(Zone z) {
        if (cfg.resMgmt()) {
            BlkZoneCond c = z.cond;
            switch (c) {
                case FULL:
                    return BlkStatus.OK; // not an error
                case EMPTY:
                case CLOSED: {
                    BlkStatus st = lockAndCheckResources(z); // finishing opens the zone, if only for a moment
                    if (st != BlkStatus.OK) {
                        return st;
                    }
                    if (c == BlkZoneCond.CLOSED) {
                        nrClosed--;
                    }
                    break;
                }
                case IMP_OPEN:
                case EXP_OPEN:
                    resLock.lock();
                    dropOpen(z);
                    break;
                default:
                    return BlkStatus.IOERR;
            }
            try {
                z.cond = BlkZoneCond.FULL;
            } finally {
                resLock.unlock();
            }
        } else {
            z.cond = BlkZoneCond.FULL;
        }
        z.wp = z.start + z.len;
        return BlkStatus.OK;
    }

    /** {@code null_reset_zone}: EMPTY at the zone start; a memory-backed zone's data is discarded. */
    private BlkStatus reset(Zone z) {
        if (cfg.resMgmt()) {
            resLock.lock();
            try {
                switch (z.cond) {
                    case IMP_OPEN:
                    case EXP_OPEN:
                        dropOpen(z);
                        break;
                    case CLOSED:
                        nrClosed--;
                        break;
                    case EMPTY:
                    case FULL:
                        break;
                    default:
                        return BlkStatus.IOERR;
                }
                z.cond = BlkZoneCond.EMPTY;
            } finally {
                resLock.unlock();
            }
        } else {
            z.cond = BlkZoneCond.EMPTY;
        }
        z.wp = z.start;
        return engine.memory != null ? engine.memory.zeroRange(z.start, z.len << 9, true) : BlkStatus.OK;
    }

    // ---- configfs zone_readonly / zone_offline ------------------------------------------------------

    /**
     * {@code null_set_zone_cond}: the zone holding {@code sector} becomes READONLY or OFFLINE
     * (resources freed, no write pointer); written again with the same condition it goes back to
     * EMPTY, its data discarded. Refused for conventional zones and sectors past the end.
     */
    void setZoneCond(String attr, long sector, BlkZoneCond cond) {
        if (sector < 0 || sector >= cfg.capacitySectors()) {
            throw new IllegalArgumentException(attr + "=" + sector + " is out of range: allowed a sector in 0.."
                    + (cfg.capacitySectors() - 1) + " (EINVAL)");
        }
        Zone z = zones[zoneNo(sector)];
        if (z.isConventional()) {
            throw new IllegalArgumentException(attr + "=" + sector + " is in conventional zone " + z.no
                    + ": allowed a sector of a sequential zone (zones " + cfg.nrConv() + ".." + (zones.length - 1)
                    + ") (EINVAL)");
        }
        z.lock();
        try {
            if (z.cond == cond) {
                z.cond = BlkZoneCond.EMPTY;
                z.wp = z.start;
                if (engine.memory != null) {
                    engine.memory.zeroRange(z.start, z.len << 9, true);
                }
                return;
            }
            if (z.cond != BlkZoneCond.READONLY && z.cond != BlkZoneCond.OFFLINE && cfg.resMgmt()) {
                // null_finish_zone's accounting, without its resource check: the zone leaves service
                resLock.lock();
                try {
                    if (z.cond == BlkZoneCond.CLOSED) {
                        nrClosed--;
                    } else {
                        dropOpen(z);
                    }
                } finally {
                    resLock.unlock();
                }
            }
            z.cond = cond;
            z.wp = BlkZone.WP_INVALID;
        } finally {
            z.unlock();
        }
    }
}
