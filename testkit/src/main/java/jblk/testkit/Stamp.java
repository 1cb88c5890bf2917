package jblk.testkit;

import java.nio.ByteBuffer;

/**
 * The sector stamp of the test kit and the torture run (no kernel counterpart; fio's verify header
 * plays this part): each 512-byte sector written carries its LBA, the write's sequence number, the
 * device's number, a fill derived from both and a checksum, so a read tells exactly which write it
 * returned, or zeros, or data that belongs to another sector or device, or garbage.
 */
public final class Stamp {
    public static final int SECTOR = 512;
    private static final long MAGIC = 0x4A424C4B_53544D50L; // "JBLKSTMP"
    private static final int SUM_AT = SECTOR - 8;

    /** What {@link #check} found, besides a sequence number (at least 1). */
    public static final long ZEROS = 0;
    public static final long GARBAGE = -1;
    public static final long WRONG_LBA = -2;

    private Stamp() {
    }

    /** Stamps the sector at {@code buf[off..off+512)} as write {@code seq} of {@code lba} on device 0. */
    static void write(ByteBuffer buf, int off, long lba, long seq) {
        write(buf, off, 0, lba, seq);
    }

    /** Stamps the sector at {@code buf[off..off+512)} as write {@code seq} of {@code lba} on {@code device}. */
    public static void write(ByteBuffer buf, int off, int device, long lba, long seq) {
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

    /** {@link #check(ByteBuffer, int, int, long)} for device 0. */
    static long check(ByteBuffer buf, int off, long lba) {
        return check(buf, off, 0, lba);
    }

    /**
     * {@link #ZEROS} for an all-zero sector, the write's sequence number for an intact stamp of
     * {@code lba} on {@code device}, {@link #WRONG_LBA} for an intact stamp of another sector
     * ({@link #lba} names it), {@link #GARBAGE} for anything else (another device's stamp too).
     */
    public static long check(ByteBuffer buf, int off, int device, long lba) {
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

    /** The LBA an intact stamp was written for. */
    static long lba(ByteBuffer buf, int off) {
        return buf.getLong(off);
    }

    /** The sequence number an intact stamp carries. */
    static long seq(ByteBuffer buf, int off) {
        return buf.getLong(off + 8);
    }
}
