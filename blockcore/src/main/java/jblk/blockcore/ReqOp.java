package jblk.blockcore;

/**
 * Models {@code enum req_op} (include/linux/blk_types.h) for the operations jblk serves; the kernel
 * numbers are kept, so {@link #isWrite()} is the kernel's {@code op_is_write} (odd = data out). The
 * zone operations have their current numbers (every zone management op is a write since the
 * kernel renumbered them: OPEN 11, CLOSE 13, FINISH 15, RESET 17, RESET_ALL 19).
 */
public enum ReqOp {
    READ(0),
    WRITE(1),
    FLUSH(2),
    DISCARD(3),
    /** Write at the zone's write pointer; the request reports where it wrote ({@code rq->__sector}). */
    ZONE_APPEND(7),
    WRITE_ZEROES(9),
    ZONE_OPEN(11),
    ZONE_CLOSE(13),
    ZONE_FINISH(15),
    ZONE_RESET(17),
    ZONE_RESET_ALL(19);

    private final int code;

    ReqOp(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** {@code op_is_write}: the kernel marks data-out operations with an odd number. */
    public boolean isWrite() {
        return (code & 1) != 0;
    }

    /** READ, WRITE and ZONE_APPEND move data through the bio's buffer; the others carry none. */
    public boolean hasData() {
        return this == READ || this == WRITE || this == ZONE_APPEND;
    }

    /** {@code op_is_zone_mgmt}: OPEN, CLOSE, FINISH, RESET and RESET_ALL (no data, zoned disks only). */
    public boolean isZoneMgmt() {
        return code >= ZONE_OPEN.code && code <= ZONE_RESET_ALL.code;
    }

    /** Only a zoned disk serves it: ZONE_APPEND or a zone management op. */
    public boolean isZoneOp() {
        return this == ZONE_APPEND || isZoneMgmt();
    }

    /** The stat group used by /sys/block/&lt;dev&gt;/stat ({@code op_stat_group}). */
    StatGroup statGroup() {
        switch (this) {
            case READ:
                return StatGroup.READ;
            case DISCARD:
                return StatGroup.DISCARD;
            case FLUSH:
                return StatGroup.FLUSH;
            default:
                return StatGroup.WRITE;
        }
    }
}
