package jblk.blockcore;

import java.util.Locale;

/**
 * Models {@code struct blk_zone}: one zone as REPORT_ZONES describes it, a snapshot taken under the
 * driver's zone lock. Sectors are 512 bytes; {@code wp} is {@link #WP_INVALID} for a READONLY or
 * OFFLINE zone, which has no write pointer.
 */
public record BlkZone(long start, long len, long wp, BlkZoneType type, BlkZoneCond cond, long capacity) {
    /** The write pointer of a zone that has none ({@code (sector_t)~0} in null_blk). */
    public static final long WP_INVALID = -1L;

    /** One line as {@code blkzone report} prints it: write pointer relative to the zone start. */
    public String blkzoneLine() {
        long wptr = type == BlkZoneType.CONVENTIONAL ? 0 : wp == WP_INVALID ? -1L : wp - start;
        return String.format(Locale.ROOT,
                "  start: 0x%09x, len 0x%06x, cap 0x%06x, wptr 0x%06x reset:0 non-seq:0, zcond:%2d(%s) [type: %d(%s)]",
                start, len, capacity, wptr, cond.code(), cond.abbrev(), type.code(), type.blkzoneName());
    }
}
