package jblk.bench;

import java.util.List;
import java.util.Locale;

/**
 * {@code ./jblk compare --pin}: which CPU each job of a set of worker JVMs runs on, with its
 * hardware queue's completion threads. The kernel completes a softirq request on the CPU that
 * raised it (null_blk irqmode=1: {@code blk_mq_complete_request} raises BLOCK_SOFTIRQ locally), so
 * a job and its softirq context share one CPU; the next set takes the next CPU, so the sets cover
 * every allowed CPU and the bootstrap over sets covers their differences.
 *
 * @param split true: one CPU per job; false: wherever the scheduler puts them
 * @param cpus  the CPUs this process may use, in order
 * @param note  why placement is off, or an empty string
 */
record CpuPlacement(boolean split, List<Integer> cpus, String note) {
    /** Resolves {@code --pin}: auto (split where taskset works), split (or an error saying why not), none. */
    static CpuPlacement resolve(String pin) {
        String mode = pin.trim().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "none":
                return new CpuPlacement(false, List.of(), "--pin none");
            case "split":
            case "auto": {
                String why = CpuAffinity.unavailableReason();
                if (why == null) {
                    return new CpuPlacement(true, CpuAffinity.allowed(), "");
                }
                if (mode.equals("split")) {
                    throw new IllegalArgumentException("--pin=split cannot place threads here: " + why
                            + " (use --pin=none)");
                }
                return new CpuPlacement(false, List.of(), "no placement: " + why);
            }
            default:
                throw new IllegalArgumentException("--pin=" + pin + " is invalid: allowed auto, split, none");
        }
    }

    /** The worker's setup argument for {@code set}: one CPU per job ("1", "0,1"), or "-". */
    String forSet(int set, int jobs) {
        if (!split) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < jobs; j++) {
            b.append(j == 0 ? "" : ",").append(cpus.get((set * jobs + j) % cpus.size()));
        }
        return b.toString();
    }

    /** One phrase for the report's conditions line. */
    String describe() {
        return split ? "each job pinned with its hardware queue's softirq/timer thread to one CPU (--pin split,"
                + " CPUs " + cpus.toString().replace(" ", "") + " in turn per set)"
                : "threads not pinned (" + note + ")";
    }
}
