package jblk.bench;

/**
 * The blocks a verifying job has written (one bit per block of its region), walked in order by the
 * verify phase, as fio keeps its log of written blocks to read back. Submitter thread only.
 */
final class WrittenBlocks {
    private final long[] bits;
    private final long blocks;
    private long cursor;

    WrittenBlocks(long blocks) {
        if (blocks > (long) Integer.MAX_VALUE * 64) {
            throw new IllegalArgumentException("--size holds " + blocks + " blocks: too many to verify; use a smaller --size");
        }
        this.blocks = blocks;
        this.bits = new long[(int) ((blocks + 63) >>> 6)];
    }

    void mark(long block) {
        bits[(int) (block >>> 6)] |= 1L << block;
    }

    /** The block's data is gone (a zone reset): the verify phase skips it. */
    void clear(long block) {
        bits[(int) (block >>> 6)] &= ~(1L << block);
    }

    /** The next written block at or after the cursor, in order, or -1 when there are no more. */
    long next() {
        long b = cursor;
        while (b < blocks) {
            int w = (int) (b >>> 6);
            long set = bits[w] & (-1L << b);
            if (set != 0) {
                long found = ((long) w << 6) + Long.numberOfTrailingZeros(set);
                if (found >= blocks) {
                    break;
                }
                cursor = found + 1;
                return found;
            }
            b = (long) (w + 1) << 6;
        }
        cursor = blocks;
        return -1;
    }
}
