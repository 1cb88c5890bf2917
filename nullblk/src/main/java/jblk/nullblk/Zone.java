package jblk.nullblk;

import java.util.concurrent.locks.ReentrantLock;
import jblk.blockcore.BlkZone;
import jblk.blockcore.BlkZoneCond;
import jblk.blockcore.BlkZoneType;

/**
 * Models {@code struct nullb_zone}: one zone of a zoned null_blk device and its lock (the kernel's
 * per-zone spinlock, or mutex when memory_backed; a {@link ReentrantLock} here, so an implicit
 * close can try another zone's lock without waiting). {@code wp} and {@code cond} change only
 * under {@link #lock}; the resource counters they feed are under the device's zone_res_lock.
 */
final class Zone extends ReentrantLock {
    private static final long serialVersionUID = 1L;

    final int no;
    final long start;
    final long len;
    final long capacity;
    final BlkZoneType type;
    /** The write pointer ({@link BlkZone#WP_INVALID} for READONLY and OFFLINE). Guarded by this lock. */
    long wp;
    /** Guarded by this lock (and zone_res_lock where it moves a resource counter). */
    BlkZoneCond cond;

    Zone(int no, long start, long len, long capacity, BlkZoneType type, BlkZoneCond cond, long wp) {
        this.no = no;
        this.start = start;
        this.len = len;
        this.capacity = capacity;
        this.type = type;
        this.cond = cond;
        this.wp = wp;
    }

    boolean isConventional() {
        return type == BlkZoneType.CONVENTIONAL;
    }

    /** The {@code blk_zone} a report copies out under this lock. */
    BlkZone snapshot() {
        return new BlkZone(start, len, wp, type, cond, capacity);
    }

    @Override
    public String toString() {
        return "zone " + no + " [" + start + "+" + len + ", cap " + capacity + "] " + cond + " wp " + wp;
    }
}
