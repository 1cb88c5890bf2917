package jblk.blockcore;

/** Models {@code enum blk_zone_type} (include/uapi/linux/blkzoned.h), with the kernel's numbers. */
public enum BlkZoneType {
    CONVENTIONAL(1, "CONVENTIONAL"),
    SEQWRITE_REQ(2, "SEQ_WRITE_REQUIRED"),
    SEQWRITE_PREF(3, "SEQ_WRITE_PREFERRED");

    private final int code;
    private final String blkzoneName;

    BlkZoneType(int code, String blkzoneName) {
        this.code = code;
        this.blkzoneName = blkzoneName;
    }

    public int code() {
        return code;
    }

    /** The name {@code blkzone report} prints. */
    public String blkzoneName() {
        return blkzoneName;
    }
}
