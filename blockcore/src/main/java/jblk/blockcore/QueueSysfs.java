package jblk.blockcore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Models the read side of block/blk-sysfs.c for one disk: the files of
 * {@code /sys/block/<dev>/queue/} that jblk has, with the kernel's names, units and formats.
 * {@code nr_requests} is the tag set's depth, as it is without an I/O scheduler.
 */
final class QueueSysfs {
    private QueueSysfs() {
    }

    static Map<String, String> render(RequestQueue q) {
        QueueLimits lim = q.disk.limits();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("nr_requests", Integer.toString(q.set.queueDepth));
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
        return m;
    }
}
