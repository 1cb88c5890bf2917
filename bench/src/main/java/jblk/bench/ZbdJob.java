package jblk.bench;

import java.util.List;
import jblk.blockcore.BlkZone;
import jblk.blockcore.BlkZoneCond;
import jblk.blockcore.BlkZoneType;
import jblk.blockcore.DiskZones;

/**
 * fio's {@code zonemode=zbd} for one job (fio's zbd.c, {@code zbd_adjust_block}): writes go to a
 * zone's write pointer, at most {@code max_open_zones} zones are written at once (a random offset in
 * another zone is moved into one of them), a full zone leaves the open set, and
 * {@code zone_reset_threshold} / {@code zone_reset_frequency} reset zones once that much of the
 * region holds data. A time-based job whose region is full resets full zones and goes on, as fio
 * resets the zones when it wraps around. Reads go below a write pointer. Submitter thread only.
 */
final class ZbdJob {
    /** {@link #nextWrite} results that are not offsets. */
    static final long WAIT = -1;
    static final long END = -2;

    private final long zoneBytes;
    private final long regionStart;
    private final int nrZones;
    private final int bs;
    private final boolean[] conventional;
    private final long[] cap;
    /** Bytes from the zone start to where this job writes next (fio's own write pointer). */
    private final long[] wp;
    private final int[] inflight;
    private final boolean[] resetting;
    private final int[] open;
    private int openCount;
    private final int maxOpen;
    private final double resetThreshold;
    private final double resetFrequency;
    private final boolean wrap;
    private final Offsets rnd;
    private long writtenBytes;
    private final long regionCapBytes;
    private long writesSinceReset;
    private int seqZone;
    /** The zone a {@link #RESET} result names. */
    int resetZone = -1;
    /** {@link #nextWrite} asks for a reset of {@link #resetZone} instead of a write. */
    static final long RESET = -3;
    long resets;

    ZbdJob(DiskZones zones, List<BlkZone> report, long offset, long size, int bs, int maxOpen, double resetThreshold,
            double resetFrequency, boolean wrap, long seed) {
        this.zoneBytes = zones.zoneSectors() << 9;
        this.regionStart = offset;
        this.nrZones = (int) (size / zoneBytes);
        this.bs = bs;
        this.conventional = new boolean[nrZones];
        this.cap = new long[nrZones];
        this.wp = new long[nrZones];
        this.inflight = new int[nrZones];
        this.resetting = new boolean[nrZones];
        this.open = new int[Math.max(1, nrZones)];
        this.maxOpen = maxOpen == 0 ? nrZones : Math.min(maxOpen, nrZones);
        this.resetThreshold = resetThreshold;
        this.resetFrequency = resetFrequency;
        this.wrap = wrap;
        this.rnd = new Offsets(0, 1, bs, seed ^ 0x5a5a5a5aL);
        int first = (int) (offset / zoneBytes);
        long total = 0;
        for (int z = 0; z < nrZones; z++) {
            BlkZone bz = report.get(first + z);
            conventional[z] = bz.type() == BlkZoneType.CONVENTIONAL;
            cap[z] = conventional[z] ? zoneBytes : bz.capacity() << 9;
            total += cap[z];
            if (!conventional[z]) {
                wp[z] = bz.cond() == BlkZoneCond.FULL ? cap[z] : Math.max(0, (bz.wp() - bz.start()) << 9);
                writtenBytes += wp[z];
            }
        }
        this.regionCapBytes = total;
    }

    /** Zone index (within the region) of a byte offset. */
    int zoneOf(long off) {
        return (int) ((off - regionStart) / zoneBytes);
    }

    long zoneStart(int z) {
        return regionStart + z * zoneBytes;
    }

    /** What fio resets at the start of a writing job ({@code zbd_file_reset}): every written sequential zone. */
    java.util.List<Integer> writtenZones() {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (int z = 0; z < nrZones; z++) {
            if (!conventional[z] && wp[z] != 0) {
                out.add(z);
            }
        }
        return out;
    }

    /** Where this job wrote up to in zone {@code z} (bytes from the zone start); -1 for a conventional zone. */
    long writePointer(int z) {
        return conventional[z] ? -1 : wp[z];
    }

    long regionStart() {
        return regionStart;
    }

    /**
     * The offset of the next write, or {@link #RESET} (reset {@link #resetZone} first),
     * {@link #WAIT} (nothing writable until in-flight I/O completes) or {@link #END}.
     */
    long nextWrite(boolean random) {
        int z = random ? rndZone() : seqZone;
        if (conventional[z]) {
            long blocks = zoneBytes / bs;
            return zoneStart(z) + ((rnd.nextRandom() >>> 1) % blocks) * bs;
        }
        if (!isOpen(z) && (openCount >= maxOpen || !writable(z))) {
            z = pickOpen();
        }
        if (z >= 0 && resetDue(z)) {
            return reset(z);
        }
        if (z < 0 || !writable(z)) {
            if (z >= 0) {
                close(z);
            }
            z = findWritable(random);
            if (z < 0) {
                return noZone();
            }
        }
        if (!isOpen(z)) {
            open[openCount++] = z;
        }
        long off = zoneStart(z) + wp[z];
        wp[z] += bs;
        writtenBytes += bs;
        inflight[z]++;
        writesSinceReset++;
        if (!random && !writable(z)) {
            seqZone = (z + 1) % nrZones;
        }
        return off;
    }

    private int rndZone() {
        return (int) ((rnd.nextRandom() >>> 1) % nrZones);
    }

    private boolean writable(int z) {
        return !resetting[z] && wp[z] + bs <= cap[z];
    }

    private boolean isOpen(int z) {
        for (int i = 0; i < openCount; i++) {
            if (open[i] == z) {
                return true;
            }
        }
        return false;
    }

    private void close(int z) {
        for (int i = 0; i < openCount; i++) {
            if (open[i] == z) {
                open[i] = open[--openCount];
                return;
            }
        }
    }

    /** A random zone of the open set that can still take a write (full ones leave the set), or -1. */
    private int pickOpen() {
        while (openCount > 0) {
            int i = (int) ((rnd.nextRandom() >>> 1) % openCount);
            int z = open[i];
            if (writable(z)) {
                return z;
            }
            if (!resetting[z]) {
                open[i] = open[--openCount]; // full
            } else {
                return -1;
            }
        }
        return -1;
    }

    /** An empty or partly written zone to open, starting at a random one (or the next, sequential). */
    private int findWritable(boolean random) {
        if (openCount >= maxOpen) {
            return pickOpen();
        }
        int start = random ? rndZone() : seqZone;
        for (int k = 0; k < nrZones; k++) {
            int z = (start + k) % nrZones;
            if (!conventional[z] && !isOpen(z) && writable(z)) {
                seqZone = z;
                return z;
            }
        }
        return -1;
    }

    /** Nothing writable: a wrapping (time-based) job resets a full zone nobody writes to; else the end. */
    private long noZone() {
        if (!wrap) {
            return END;
        }
        boolean busy = false;
        for (int z = 0; z < nrZones; z++) {
            if (!conventional[z] && !resetting[z]) {
                if (inflight[z] == 0) {
                    return reset(z);
                }
                busy = true;
            }
            busy |= resetting[z] || inflight[z] != 0;
        }
        return busy ? WAIT : END;
    }

    /** zone_reset_threshold / zone_reset_frequency: reset the zone about to be written, now and then. */
    private boolean resetDue(int z) {
        if (resetFrequency <= 0 || wp[z] == 0 || inflight[z] != 0 || resetting[z]) {
            return false;
        }
        if ((double) writtenBytes < resetThreshold * regionCapBytes) {
            return false;
        }
        return writesSinceReset >= Math.max(1, Math.round(1 / resetFrequency));
    }

    private long reset(int z) {
        close(z);
        resetting[z] = true;
        resetZone = z;
        inflight[z]++;
        writesSinceReset = 0;
        return RESET;
    }

    /** The reset of zone {@code z} completed: it is empty (ok) or its write pointer is unknown. */
    void resetDone(int z, boolean ok) {
        inflight[z]--;
        resetting[z] = false;
        if (ok) {
            writtenBytes -= wp[z];
            wp[z] = 0;
        }
        resets++;
    }

    /** A read: a random block below a random zone's write pointer, or -1 when nothing is written. */
    long nextRead() {
        int start = rndZone();
        for (int k = 0; k < nrZones; k++) {
            int z = (start + k) % nrZones;
            long valid = conventional[z] ? zoneBytes : wp[z];
            if (valid >= bs && !resetting[z]) {
                inflight[z]++;
                return zoneStart(z) + ((rnd.nextRandom() >>> 1) % (valid / bs)) * bs;
            }
        }
        return -1;
    }

    /** An I/O at {@code off} completed. */
    void done(long off) {
        inflight[zoneOf(off)]--;
    }

    int nrZones() {
        return nrZones;
    }

    /** Zones written at once (fio's max_open_zones as this job applies it). */
    int maxOpen() {
        return maxOpen;
    }

    long zoneBytes() {
        return zoneBytes;
    }
}
