package jblk.bench;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jblk.blockcore.Bio;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.BlkZone;
import jblk.blockcore.DiskZones;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.nullblk.NullbParams;

/**
 * fio's zoned options for {@code ./jblk bench} ({@code --zonemode=zbd}, {@code --max_open_zones},
 * {@code --zone_reset_threshold}, {@code --zone_reset_frequency}), checked against the device,
 * and what a zbd run does around the jobs: the region rounded to whole zones (as fio rounds it),
 * the written zones reset before the jobs start (fio's {@code zbd_file_reset}), and afterwards the
 * zone report, checked against the write pointers the jobs kept.
 */
final class ZbdOptions {
    final int maxOpenZones;
    final double resetThreshold;
    final double resetFrequency;
    final long zoneBytes;

    private ZbdOptions(int maxOpenZones, double resetThreshold, double resetFrequency, long zoneBytes) {
        this.maxOpenZones = maxOpenZones;
        this.resetThreshold = resetThreshold;
        this.resetFrequency = resetFrequency;
        this.zoneBytes = zoneBytes;
    }

    /** Null for {@code --zonemode=none}; refuses zbd options without zbd and zbd without a zoned device. */
    static ZbdOptions parse(String zonemode, Integer maxOpen, Double threshold, Double frequency, NullbParams params) {
        String mode = zonemode.trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("none") && !mode.equals("zbd")) {
            throw new IllegalArgumentException("--zonemode=" + zonemode + " is invalid: allowed none, zbd");
        }
        if (mode.equals("none")) {
            if (maxOpen != null || threshold != null || frequency != null) {
                throw new IllegalArgumentException("--max_open_zones, --zone_reset_threshold and --zone_reset_frequency"
                        + " need --zonemode=zbd");
            }
            return null;
        }
        if (!params.zoned()) {
            throw new IllegalArgumentException("--zonemode=zbd needs a zoned device: add zoned=1 to --nullb"
                    + " (and zone_size=, zone_max_open= ... as null_blk takes them)");
        }
        if (maxOpen != null && maxOpen < 0) {
            throw new IllegalArgumentException("--max_open_zones=" + maxOpen
                    + " is out of range: allowed 0 (the device's"
                    + " limit) or more");
        }
        double thr = threshold == null ? 1.0 : threshold;
        double freq = frequency == null ? 0.0 : frequency;
        if (thr < 0 || thr > 1) {
            throw new IllegalArgumentException("--zone_reset_threshold=" + thr + " is out of range: allowed 0..1");
        }
        if (freq < 0 || freq > 1) {
            throw new IllegalArgumentException("--zone_reset_frequency=" + freq + " is out of range: allowed 0..1");
        }
        return new ZbdOptions(maxOpen == null ? 0 : maxOpen, thr, freq, Long.parseLong(params.get("zone_size")) << 20);
    }

    /** fio rounds the I/O range in to zone boundaries: {offset, size}. */
    long[] align(long offset, long size) {
        long start = (offset + zoneBytes - 1) / zoneBytes * zoneBytes;
        long end = (offset + size) / zoneBytes * zoneBytes;
        if (end - start < zoneBytes) {
            throw new IllegalArgumentException("--offset=" + offset + " --size=" + size + " holds no whole zone of "
                    + zoneBytes + " bytes (zone_size): zonemode=zbd works on whole zones");
        }
        return new long[] {start, end - start};
    }

    /**
     * The job's zone bookkeeping for its region; max_open_zones 0 means the device's limit, as fio
     * takes it from the device.
     */
    ZbdJob job(GenDisk disk, List<BlkZone> report, JobSpec spec, boolean wrap) {
        DiskZones z = disk.zones();
        int deviceLimit = z.limits().maxOpenZones();
        int open = maxOpenZones == 0 ? deviceLimit
                : deviceLimit == 0 ? maxOpenZones : Math.min(maxOpenZones, deviceLimit);
        return new ZbdJob(z, report, spec.offset(), spec.size(), spec.bs(), open, resetThreshold, resetFrequency, wrap,
                spec.seed());
    }

    /** fio's zbd_file_reset: the written zones of a writing job's region are reset before it starts. */
    static void resetWritten(GenDisk disk, ZbdJob job) throws InterruptedException {
        List<Integer> zones = job.writtenZones();
        if (zones.isEmpty()) {
            return;
        }
        try (SwQueue q = disk.openQueue()) {
            for (int z : zones) {
                CountDownLatch done = new CountDownLatch(1);
                Bio bio = new Bio().set(ReqOp.ZONE_RESET, job.zoneStart(z) >>> 9, 0, null, 0, 0, b -> done.countDown());
                q.submitBio(bio);
                if (!done.await(30, TimeUnit.SECONDS) || bio.status() != BlkStatus.OK) {
                    throw new IllegalStateException("resetting zone at byte " + job.zoneStart(z) + " failed: "
                            + bio.status() + (bio.errorDetail() != null ? " (" + bio.errorDetail() + ")" : ""));
                }
                job.resetDone(z, true);
            }
        }
    }

    /** What {@link #check} found: the text to print and how many write pointers disagreed. */
    record Check(String text, String summary, int mismatches) {
    }

    /**
     * After the run: the zones the jobs wrote, as {@code blkzone report} prints them, and each
     * zone's write pointer checked against the one the job kept.
     */
    static Check check(GenDisk disk, List<ZbdJob> zbds) {
        List<BlkZone> report = disk.zones().reportAll();
        long zoneSectors = disk.zones().zoneSectors();
        int written = 0;
        int mismatches = 0;
        long bytes = 0;
        StringBuilder lines = new StringBuilder();
        for (ZbdJob zj : zbds) {
            int first = (int) ((zj.regionStart() >>> 9) / zoneSectors);
            for (int z = 0; z < zj.nrZones(); z++) {
                BlkZone bz = report.get(first + z);
                long expect = zj.writePointer(z);
                if (expect < 0) {
                    continue;
                }
                long got = bz.wp() == BlkZone.WP_INVALID ? -1 : (bz.wp() - bz.start()) << 9;
                boolean full = bz.cond() == jblk.blockcore.BlkZoneCond.FULL && expect == bz.capacity() << 9;
                if (got != expect && !full) {
                    mismatches++;
                    lines.append("  MISMATCH: zone ").append(first + z).append(" write pointer at byte ").append(got)
                            .append(" of the zone, the job wrote up to ").append(expect).append('\n');
                }
                if (got > 0) {
                    written++;
                    bytes += got;
                    if (written <= 32) {
                        lines.append(bz.blkzoneLine()).append('\n');
                    }
                }
            }
        }
        String summary = String.format(Locale.ROOT, "zone write pointers vs what the jobs wrote: %d zones, %s, %s",
                written, Units.binary((double) bytes), mismatches == 0 ? "all match" : mismatches + " MISMATCH(ES)");
        String text = String.format(Locale.ROOT, "%nzone report (blkzone report style): %d of %d zones hold data%s%n",
                written, report.size(), written > 32 ? " (first 32 shown)" : "") + lines + summary + "\n";
        return new Check(text, summary, mismatches);
    }
}
