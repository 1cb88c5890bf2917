package jblk.stress;

import java.nio.ByteBuffer;

/**
 * The torture run's sector stamp: each 512-byte sector written carries its LBA, the write's
 * sequence number, the device's tag, a fill derived from both, and a checksum over the rest, so a
 * read can tell the exact write it returns, or zeros, or data that belongs elsewhere (another
 * LBA, a torn or mixed sector).
 */
final class Stamp {
    static final int SECTOR = 512;
    private static final long MAGIC = 0x4A424C4B_53545253L; // "JBLKSTRS"
    private static final int SUM_AT = SECTOR - 8;

    /** What {@link #check} found in a sector. */
    static final long ZEROS = 0;
    static final long GARBAGE = -1;
    static final long WRONG_LBA = -2;

    private Stamp() {
    }

    /** Stamps the sector at {@code buf[off..off+512)} as write {@code seq} of {@code lba}. */
    static void write(ByteBuffer buf, int off, int device, long lba, long seq) {
        buf.putLong(off, lba);
        buf.putLong(off + 8, seq);
        buf.putLong(off + 16, MAGIC ^ device);
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
     * Reads the sector back: {@link #ZEROS} for an all-zero sector, the write's sequence number
     * (at least 1) for an intact stamp of {@code lba} on {@code device}, {@link #WRONG_LBA} for an
     * intact stamp of another sector, {@link #GARBAGE} for anything else.
     */
    static long check(ByteBuffer buf, int off, int device, long lba) {
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
        if (buf.getLong(off + 16) != (MAGIC ^ device) || buf.getLong(off + SUM_AT) != sum(buf, off)) {
            return GARBAGE;
        }
        long seq = buf.getLong(off + 8);
        if (seq < 1) {
            return GARBAGE;
        }
        return buf.getLong(off) == lba ? seq : WRONG_LBA;
    }
}
