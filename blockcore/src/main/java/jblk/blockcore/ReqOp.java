package jblk.blockcore;

/**
 * Models {@code enum req_op} (include/linux/blk_types.h) for the operations jblk serves; the kernel
 * numbers are kept, so {@link #isWrite()} is the kernel's {@code op_is_write} (odd = data out).
 */
public enum ReqOp {
    READ(0),
    WRITE(1),
    FLUSH(2),
    DISCARD(3),
    WRITE_ZEROES(9);

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

    /** READ and WRITE move data through the bio's buffer; the others carry none. */
    public boolean hasData() {
        return this == READ || this == WRITE;
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
