package jblk.stress;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ReqOp;
import jblk.nullblk.NullbDevice;
import jblk.testkit.Stamp;

/**
 * One tortured device: the null_blk device, the expected contents, the counters, the buggy
 * wrapper (safe driver only) and every I/O not yet completed. {@link #completed} is every bio's
 * callback: it checks the bio completes once, verifies what a read returned, and updates the model.
 */
final class DeviceRun {
    final int id;
    final String label;
    final NullbDevice dev;
    final GenDisk disk;
    final DataModel model;
    final Tally tally = new Tally();
    /** The buggy wrapper around the safe driver, or null for the raw driver. */
    final MisbehavingOps wrapper;
    final int irqmode;
    final Set<Io> outstanding = ConcurrentHashMap.newKeySet();

    DeviceRun(int id, String label, NullbDevice dev, DataModel model, MisbehavingOps wrapper, int irqmode) {
        this.id = id;
        this.label = label;
        this.dev = dev;
        this.disk = dev.disk();
        this.model = model;
        this.wrapper = wrapper;
        this.irqmode = irqmode;
    }

    /** The bio callback of every torture I/O (any thread). */
    void completed(Io io) {
        int n = io.completions.incrementAndGet();
        if (n != 1) {
            tally.doubleCompletions.increment();
            tally.problem(label + ": " + io + " completed " + n + " times (status " + io.bio.status() + ")");
            return; // the first completion already settled the model and the range
        }
        try {
            settle(io);
        } catch (RuntimeException e) {
            tally.unexpectedErrors.increment();
            tally.problem(label + ": checking " + io + " failed: " + e);
        } finally {
            release(io);
        }
    }

    /** {@code io} is over (completed, or its submission threw): its range, its slot, its submitter. */
    void release(Io io) {
        if (io.hasRange()) {
            model.unlock(io.sector, io.sectors);
        }
        outstanding.remove(io);
        io.owner.done(io);
    }

    private void settle(Io io) {
        BlkStatus st = io.bio.status();
        tally.statuses.get(st).increment();
        tally.ops.get(io.op).increment();
        boolean bad = io.hasRange() && model.overlapsBad(io.sector, io.sectors);
        if (st == BlkStatus.TIMEOUT) {
            tally.timeouts.increment();
        } else if (st == BlkStatus.IOERR && bad) {
            tally.badBlockErrors.increment();
        } else if (st != BlkStatus.OK) {
            tally.unexpectedErrors.increment();
            tally.problem(label + ": " + io + " failed with " + st
                    + (io.bio.errorDetail() != null ? " (" + io.bio.errorDetail() + ")" : "")
                    + " without a fault to explain it");
        }
        switch (io.op) {
            case READ:
                if (st == BlkStatus.OK) {
                    if (bad) {
                        tally.mismatches.increment();
                        tally.problem(label + ": " + io + " succeeded over a bad block range");
                    }
                    tally.bytesRead.add((long) io.sectors * Stamp.SECTOR);
                    verify(io, io.sectors);
                } else if (io.bio.bytesDone() > 0) {
                    verify(io, io.bio.bytesDone() / Stamp.SECTOR); // the good part of a partial read
                }
                break;
            case WRITE:
                if (st == BlkStatus.OK) {
                    tally.bytesWritten.add((long) io.sectors * Stamp.SECTOR);
                    model.written(io.sector, io.sectors, io.seq);
                } else {
                    model.unknown(io.sector, io.sectors);
                }
                break;
            case DISCARD:
            case WRITE_ZEROES:
                if (st == BlkStatus.OK) {
                    model.zeroed(io.sector, io.sectors);
                } else {
                    model.unknown(io.sector, io.sectors);
                }
                break;
            default:
                break;
        }
    }

    private void verify(Io io, int sectors) {
        for (int i = 0; i < sectors; i++) {
            int lba = io.sector + i;
            long got = Stamp.check(io.buf, i * Stamp.SECTOR, id, lba);
            if (model.isUnknown(lba)) {
                tally.sectorsUnknown.increment();
                if (got == Stamp.GARBAGE || got == Stamp.WRONG_LBA) {
                    mismatch(io, lba, "zeros or an intact stamp of this sector", got);
                }
                continue;
            }
            tally.sectorsVerified.increment();
            long want = model.expected(lba);
            if (got != want) {
                mismatch(io, lba, want == 0 ? "zeros" : "write seq " + want, got);
            }
        }
    }

    private void mismatch(Io io, int lba, String want, long got) {
        tally.mismatches.increment();
        String found = got == Stamp.ZEROS ? "zeros" : got == Stamp.GARBAGE ? "garbage (torn, mixed or never written)"
                : got == Stamp.WRONG_LBA ? "another sector's stamp" : "write seq " + got;
        tally.problem(label + ": " + io + ": sector " + lba + " should hold " + want + " but holds " + found);
    }

    boolean supports(ReqOp op) {
        return op != ReqOp.DISCARD || disk.limits().maxDiscardSectors() > 0;
    }
}
