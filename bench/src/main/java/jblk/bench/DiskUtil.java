package jblk.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jblk.blockcore.GenDisk;

/**
 * fio's "Disk stats (read/write)" section ({@code show_disk_util}): per device of the run, from its
 * {@code /sys/block/<dev>/stat} read at the end (jblk's devices are new, so the totals are the run's):
 * I/Os, merges, ticks (ms) per direction, time in queue and utilisation (busy time over the run).
 */
final class DiskUtil {
    private DiskUtil() {
    }

    /** One device's line, read now; {@code runMs} is how long the run took. */
    static String line(GenDisk d, long runMs) {
        long[] f = d.statFields();
        double util = runMs <= 0 ? 0 : Math.min(100.0, 100.0 * f[9] / runMs);
        return String.format(Locale.ROOT, "  %s: ios=%d/%d, merge=%d/%d, ticks=%d/%d, in_queue=%d, util=%.2f%%",
                d.name(), f[0], f[4], f[1], f[5], f[3], f[7], f[10], util);
    }

    static List<String> lines(List<GenDisk> disks, long runMs) {
        List<String> out = new ArrayList<>();
        for (GenDisk d : disks) {
            out.add(line(d, runMs));
        }
        return out;
    }

    /** The section as fio prints it after the run-status group. */
    static String section(List<String> lines) {
        StringBuilder sb = new StringBuilder("\nDisk stats (read/write):\n");
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
