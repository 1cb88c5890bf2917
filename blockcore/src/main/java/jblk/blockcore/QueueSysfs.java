package jblk.blockcore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Models the read side of block/blk-sysfs.c for one disk: the files of
 * {@code /sys/block/<dev>/queue/} that jblk has, with the kernel's names, units and formats.
 * {@code scheduler} lists the I/O schedulers with the attached one in brackets
 * ({@code elv_iosched_show}); {@code nr_requests} is the tag set's depth without a scheduler and
 * the scheduler tags' depth with one; the scheduler's tunables are under {@code iosched/}.
 */
final class QueueSysfs {
    private QueueSysfs() {
    }

    static Map<String, String> render(RequestQueue q) {
        QueueLimits lim = q.disk.limits();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("nr_requests", Integer.toString(q.nrRequests));
        m.put("scheduler", scheduler(q.elevatorType()));
        m.put("logical_block_size", Integer.toString(lim.logicalBlockSize()));
        m.put("physical_block_size", Integer.toString(lim.physicalBlockSize()));
        m.put("max_sectors_kb", Integer.toString(lim.maxSectors() >>> 1));
        m.put("max_hw_sectors_kb", Integer.toString(lim.maxHwSectors() >>> 1));
        m.put("discard_max_bytes", Long.toString(lim.maxDiscardSectors() << Bio.SECTOR_SHIFT));
        m.put("write_zeroes_max_bytes", Long.toString(lim.maxWriteZeroesSectors() << Bio.SECTOR_SHIFT));
        m.put("rotational", lim.rotational() ? "1" : "0");
        m.put("write_cache", lim.writeCache() ? "write back" : "write through");
        m.put("iostats", q.iostats ? "1" : "0");
        m.put("io_timeout", Long.toString(q.timeoutMs));
        Elevator e = q.elevator;
        if (e != null) {
            for (Map.Entry<String, String> t : e.tunables().entrySet()) {
                m.put("iosched/" + t.getKey(), t.getValue());
            }
        }
        return m;
    }

    /** {@code elv_iosched_show}: "[none] mq-deadline" or "[mq-deadline] none". */
    static String scheduler(ElevatorType cur) {
        StringBuilder sb = new StringBuilder();
        if (cur == ElevatorType.NONE) {
            sb.append("[none]");
        }
        for (ElevatorType t : ElevatorType.values()) {
            if (t == ElevatorType.NONE) {
                continue;
            }
            sb.append(sb.length() > 0 ? " " : "").append(t == cur ? "[" + t.kernelName() + "]" : t.kernelName());
        }
        if (cur != ElevatorType.NONE) {
            sb.append(" none");
        }
        return sb.toString();
    }
}
