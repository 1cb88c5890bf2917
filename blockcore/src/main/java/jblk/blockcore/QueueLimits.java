package jblk.blockcore;

/**
 * Models {@code struct queue_limits}: block sizes, transfer limits and features of a disk, fixed
 * when the disk is built ({@code blk_validate_limits} checks them).
 */
public final class QueueLimits {
    /** {@code BLK_SAFE_MAX_SECTORS}: the kernel's max_hw_sectors when a driver sets none. */
    public static final int SAFE_MAX_SECTORS = 255;
    /** {@code BLK_DEF_MAX_SECTORS_CAP}: the soft limit is never above this. */
    public static final int DEF_MAX_SECTORS_CAP = 2560;
    public static final int MIN_BLOCK_SIZE = 512;
    public static final int MAX_BLOCK_SIZE = 4096;

    private final int logicalBlockSize;
    private final int physicalBlockSize;
    private final int maxHwSectors;
    private final int maxSectors;
    private final long maxDiscardSectors;
    private final long maxWriteZeroesSectors;
    private final boolean rotational;
    private final boolean writeCache;
    private final boolean fua;
    private final boolean virtBoundary;

    QueueLimits(int lbs, int pbs, int maxHwSectors, long maxDiscardSectors, long maxWriteZeroesSectors,
            boolean rotational, boolean writeCache, boolean fua, boolean virtBoundary) {
        this.logicalBlockSize = lbs;
        this.physicalBlockSize = pbs;
        this.maxHwSectors = maxHwSectors == 0 ? SAFE_MAX_SECTORS : maxHwSectors;
        int lbsSectors = lbs >>> Bio.SECTOR_SHIFT;
        // The soft limit: capped, and a whole number of logical blocks.
        int soft = Math.min(this.maxHwSectors, DEF_MAX_SECTORS_CAP);
        this.maxSectors = Math.max(lbsSectors, soft / lbsSectors * lbsSectors);
        this.maxDiscardSectors = maxDiscardSectors;
        this.maxWriteZeroesSectors = maxWriteZeroesSectors;
        this.rotational = rotational;
        this.writeCache = writeCache;
        this.fua = fua && writeCache;
        this.virtBoundary = virtBoundary;
    }

    /** Checks a logical or physical block size: a power of two in 512..4096. */
    public static void validateBlockSize(String name, int size) {
        if (size < MIN_BLOCK_SIZE || size > MAX_BLOCK_SIZE || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException(name + " " + size
                    + " is invalid: allowed a power of two in " + MIN_BLOCK_SIZE + ".." + MAX_BLOCK_SIZE);
        }
    }

    public int logicalBlockSize() {
        return logicalBlockSize;
    }

    public int physicalBlockSize() {
        return physicalBlockSize;
    }

    /** {@code max_hw_sectors}: what the driver can take. */
    public int maxHwSectors() {
        return maxHwSectors;
    }

    /** {@code max_sectors}: the largest READ/WRITE the block layer sends, in 512-byte sectors. */
    public int maxSectors() {
        return maxSectors;
    }

    /** 0 when DISCARD is not supported. */
    public long maxDiscardSectors() {
        return maxDiscardSectors;
    }

    /** 0 when WRITE_ZEROES is not supported. */
    public long maxWriteZeroesSectors() {
        return maxWriteZeroesSectors;
    }

    public boolean rotational() {
        return rotational;
    }

    /** A volatile write cache: FLUSH reaches the driver; without one FLUSH completes at once. */
    public boolean writeCache() {
        return writeCache;
    }

    public boolean fua() {
        return fua;
    }

    public boolean virtBoundary() {
        return virtBoundary;
    }
}
