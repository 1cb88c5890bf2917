package jblk.testkit;

import java.nio.ByteBuffer;

/**
 * The kit's sector stamp (after the torture run's): each 512-byte sector written carries its LBA,
 * the write's sequence number, a fill derived from both and a checksum, so a read tells exactly
 * which write it returned, or zeros, or data that belongs to another sector, or garbage.
 */
final class Stamp {
    static final int SECTOR = 512;
    private static final long MAGIC = 0x4A424C4B_4B495453L; // "JBLKKITS"
    private static final int SUM_AT = SECTOR - 8;

    /** What {@link #check} found, besides a sequence number (at least 1). */
    static final long ZEROS = 0;
    static final long GARBAGE = -1;
    static final long WRONG_LBA = -2;

    private Stamp() {
    }

    /** Stamps the sector at {@code buf[off..off+512)} as write {@code seq} of {@code lba}. */
    static void write(ByteBuffer buf, int off, long lba, long seq) {
        buf.putLong(off, lba);
        buf.putLong(off + 8, seq);
        buf.putLong(off + 16, MAGIC);
        long x = lba * 0x9E3779B97F4A7C15L ^ seq;
        for (int i = 24; i < SUM_AT; i += 8) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            buf.putLong(off + i, x);
        }
        buf.putLong(off + SUM_AT, sum(buf, off));
    }

    private static long sum(ByteBuffer buf, int off) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < SUM_AT; i += 8) {
            h = (h ^ buf.getLong(off + i)) * 0x100000001B3L;
        }
        return h;
    }

    /**
     * {@link #ZEROS} for an all-zero sector, the write's sequence number for an intact stamp of
     * {@code lba}, {@link #WRONG_LBA} for an intact stamp of another sector ({@link #lba} names
     * it), {@link #GARBAGE} for anything else.
     */
    static long check(ByteBuffer buf, int off, long lba) {
        boolean zero = true;
        for (int i = 0; i < SECTOR; i += 8) {
            if (buf.getLong(off + i) != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            return ZEROS;
        }
        if (buf.getLong(off + 16) != MAGIC || buf.getLong(off + SUM_AT) != sum(buf, off)) {
            return GARBAGE;
        }
        long seq = buf.getLong(off + 8);
        if (seq < 1) {
            return GARBAGE;
        }
        return buf.getLong(off) == lba ? seq : WRONG_LBA;
    }

    /** The LBA an intact stamp was written for. */
    static long lba(ByteBuffer buf, int off) {
        return buf.getLong(off);
    }

    /** The sequence number an intact stamp carries. */
    static long seq(ByteBuffer buf, int off) {
        return buf.getLong(off + 8);
    }
}
