package jblk.blockcore;

/** Models {@code enum blk_zone_cond} (include/uapi/linux/blkzoned.h), with the kernel's numbers. */
public enum BlkZoneCond {
    NOT_WP(0x0, "nw"),
    EMPTY(0x1, "em"),
    IMP_OPEN(0x2, "oi"),
    EXP_OPEN(0x3, "oe"),
    CLOSED(0x4, "cl"),
    READONLY(0xD, "ro"),
    FULL(0xE, "fu"),
    OFFLINE(0xF, "ol");

    private final int code;
    private final String abbrev;

    BlkZoneCond(int code, String abbrev) {
        this.code = code;
        this.abbrev = abbrev;
    }

    public int code() {
        return code;
    }

    /** The two letters {@code blkzone report} prints after the number. */
    public String abbrev() {
        return abbrev;
    }
}
