package jblk.blockcore;

import java.nio.ByteBuffer;

/**
 * Models the bio checks at submission: {@code submit_bio_noacct} and {@code bio_check_eod}
 * (block/blk-core.c) and the size limits {@code bio_split_to_limits} enforces (block/blk-merge.c).
 * A caller bug (a malformed bio) throws; what the device cannot serve completes the bio with an
 * error status and a message naming the field and the allowed range.
 */
final class BioChecks {
    private BioChecks() {
    }

    /**
     * Checks {@code bio} for {@code disk}: true when it may go on to become a request, false when
     * it was completed here (refused, or a FLUSH with nothing to do).
     *
     * <p>This is the fast path: a few compares that pass every good READ/WRITE, small enough for
     * the JIT to inline into submitBio. Anything else, good or bad, goes to {@link #checkSlow},
     * which says exactly what is wrong.
     */
    static boolean check(GenDisk disk, Bio bio) {
        if (bio != null && bio.endIoCallback() != null && (bio.flags() & ~ReqFlags.ALL) == 0) {
            ReqOp op = bio.op();
            if (op == ReqOp.READ || op == ReqOp.WRITE) {
                ByteBuffer b = bio.buffer();
                int size = bio.size();
                int off = bio.bufOffset();
                QueueLimits lim = disk.limits();
                long sector = bio.sector();
                long cap = disk.capacity();
                long nr = (long) (size >>> Bio.SECTOR_SHIFT); // an int shift: a negative size stays an int here
                int lbsMask = lim.logicalBlockSize() - 1;
                if (b != null && size > 0 && off >= 0 && (long) off + size <= b.limit()
                        && (op == ReqOp.WRITE || !b.isReadOnly())
                        && (size & lbsMask) == 0 && sector >= 0 && ((sector << Bio.SECTOR_SHIFT) & lbsMask) == 0
                        && sector <= cap && nr <= cap - sector && nr <= lim.maxSectors()) {
                    // The outcome fields are all written at completion; no reset here (see Bio.complete).
                    if (bio.cookie != -1) {
                        bio.cookie = -1;
                    }
                    return true;
                }
            }
        }
        return checkSlow(disk, bio);
    }

    /** Every check, in the kernel's order, with a message naming what is wrong; the cold half of {@link #check}. */
    private static boolean checkSlow(GenDisk disk, Bio bio) {
        ReqOp op = checkWellFormed(bio);
        bio.resetOutcome();
        bio.cookie = -1;
        if (op.isZoneOp()) {
            return DiskZones.checkZoneBio(disk, bio);
        }
        if (op == ReqOp.FLUSH) {
            return checkFlush(disk, bio);
        }
        QueueLimits lim = disk.limits();
        int size = bio.size();
        long sector = bio.sector();
        long cap = disk.capacity();
        // Each step names the first thing wrong, or null; the first failure completes the bio.
        return passes(bio, BlkStatus.NOTSUPP, unsupported(disk, op))
                && passes(bio, BlkStatus.INVAL, badSize(lim, op, size))
                && passes(bio, BlkStatus.IOERR, negativeSector(op, sector, cap))
                && passes(bio, BlkStatus.INVAL, misalignedSector(lim, op, sector))
                && passes(bio, BlkStatus.IOERR, beyondEnd(disk, sector, size, cap))
                && passes(bio, BlkStatus.INVAL, overLimit(lim, op, size));
    }

    /** Caller bugs: the bio, its op, callback, flags and buffer. Throws; returns the op. */
    private static ReqOp checkWellFormed(Bio bio) {
        if (bio == null) {
            throw new IllegalArgumentException("bio must not be null");
        }
        ReqOp op = bio.op();
        if (op == null) {
            throw new IllegalArgumentException("bio op must not be null");
        }
        if (bio.endIoCallback() == null) {
            throw new IllegalArgumentException("bio has no end_io callback");
        }
        if ((bio.flags() & ~ReqFlags.ALL) != 0) {
            throw new IllegalArgumentException("bio flags 0x" + Integer.toHexString(bio.flags())
                    + " has unknown bits: allowed 0x" + Integer.toHexString(ReqFlags.ALL));
        }
        int size = bio.size();
        if (size < 0) {
            throw new IllegalArgumentException("bio size " + size + " is negative");
        }
        if (op == ReqOp.FLUSH) {
            if (size != 0) {
                throw new IllegalArgumentException("FLUSH carries no data: size must be 0, got " + size);
            }
        } else if (op.hasData()) {
            checkBuffer(bio, op, size);
        }
        return op;
    }

    private static void checkBuffer(Bio bio, ReqOp op, int size) {
        if (bio.buffer() == null) {
            throw new IllegalArgumentException(op + " of " + size + " bytes has no data buffer");
        }
        int off = bio.bufOffset();
        if (off < 0 || (long) off + size > bio.buffer().limit()) {
            throw new IllegalArgumentException("data buffer too small: " + op + " needs bytes [" + off + ", "
                    + ((long) off + size) + ") but the buffer's limit is " + bio.buffer().limit()
                    + " (capacity " + bio.buffer().capacity() + ")");
        }
        if (op == ReqOp.READ && bio.buffer().isReadOnly()) {
            throw new IllegalArgumentException("READ into a read-only buffer");
        }
    }

    /** Without a volatile cache a flush has nothing to do: {@code blk_insert_flush} ends it at once. */
    private static boolean checkFlush(GenDisk disk, Bio bio) {
        if (!disk.limits().writeCache()) {
            bio.complete(BlkStatus.OK, 0, null);
            BlkMq.callEndIo(bio);
            return false;
        }
        return true;
    }

    /** True when {@code err} is null; otherwise completes {@code bio} with {@code status} and {@code err}. */
    private static boolean passes(Bio bio, BlkStatus status, String err) {
        if (err == null) {
            return true;
        }
        bio.complete(status, 0, err);
        BlkMq.callEndIo(bio);
        return false;
    }

    private static String unsupported(GenDisk disk, ReqOp op) {
        QueueLimits lim = disk.limits();
        if (op == ReqOp.DISCARD && lim.maxDiscardSectors() == 0) {
            return "DISCARD is not supported by " + disk.name();
        }
        if (op == ReqOp.WRITE_ZEROES && lim.maxWriteZeroesSectors() == 0) {
            return "WRITE_ZEROES is not supported by " + disk.name();
        }
        return null;
    }

    private static String badSize(QueueLimits lim, ReqOp op, int size) {
        if (size == 0) {
            return op + " size 0: must be a positive multiple of the logical block size " + lim.logicalBlockSize();
        }
        if ((size & (lim.logicalBlockSize() - 1)) != 0) {
            return op + " size " + size + " is not a multiple of the logical block size " + lim.logicalBlockSize();
        }
        return null;
    }

    private static String negativeSector(ReqOp op, long sector, long cap) {
        return sector < 0 ? op + " sector " + sector + " is negative: allowed sectors 0.." + (cap - 1) : null;
    }

    private static String misalignedSector(QueueLimits lim, ReqOp op, long sector) {
        int lbsSectors = lim.logicalBlockSize() >>> Bio.SECTOR_SHIFT;
        if ((sector & (lbsSectors - 1)) != 0) {
            return op + " sector " + sector + " is not aligned to the logical block size "
                    + lim.logicalBlockSize() + " (" + lbsSectors + " sectors)";
        }
        return null;
    }

    /** {@code bio_check_eod}, written so a huge sector cannot overflow past the check. */
    private static String beyondEnd(GenDisk disk, long sector, int size, long cap) {
        if (sector > cap || (size >>> Bio.SECTOR_SHIFT) > cap - sector) {
            return "attempt to access beyond end of device " + disk.name() + ": sector " + sector + " + "
                    + (size >>> Bio.SECTOR_SHIFT) + " sectors > capacity " + cap + " sectors (allowed sectors 0.."
                    + (cap - 1) + ")";
        }
        return null;
    }

    /** {@code bio_split_to_limits}' bound: max_sectors, or the DISCARD / WRITE_ZEROES limit. */
    private static String overLimit(QueueLimits lim, ReqOp op, int size) {
        long max = op == ReqOp.DISCARD ? lim.maxDiscardSectors()
                : op == ReqOp.WRITE_ZEROES ? lim.maxWriteZeroesSectors() : lim.maxSectors();
        if ((size >>> Bio.SECTOR_SHIFT) > max) {
            return op + " of " + (size >>> Bio.SECTOR_SHIFT) + " sectors exceeds the limit of " + max
                    + " sectors (" + (max << Bio.SECTOR_SHIFT) + " bytes)";
        }
        return null;
    }
}
