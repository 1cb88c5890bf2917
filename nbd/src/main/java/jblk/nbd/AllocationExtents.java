package jblk.nbd;

import java.nio.ByteBuffer;
import jblk.blockcore.AllocationMap;

/**
 * Encodes the base:allocation answer to BLOCK_STATUS (the extent list of an
 * {@code NBD_REPLY_TYPE_BLOCK_STATUS} chunk) from a disk's {@link AllocationMap}: consecutive
 * extents from the request offset, data (flags 0) or hole (HOLE|ZERO: never written, reads as
 * zeros), each a multiple of the minimum block size, adjacent extents of different kinds.
 */
final class AllocationExtents {
    /** At most this many extents per reply (32 KiB of payload); the client asks again for the rest. */
    static final int MAX_EXTENTS = 4096;

    private AllocationExtents() {
    }

    /**
     * Writes the context id and the extents for {@code [offset, offset + length)} into {@code dst}
     * from index 0; returns the payload length. With {@code reqOne}, exactly one extent no longer
     * than {@code length}. {@code offset} and {@code length} are multiples of {@code minBlock} and
     * within the disk.
     */
    static int encode(AllocationMap map, int contextId, long offset, long length, int minBlock, boolean reqOne,
            ByteBuffer dst) {
        int g = map.granularity();
        int unit = Math.max(g, minBlock);
        long end = offset + length;
        long pos = offset;
        int at = 4;
        dst.putInt(0, contextId);
        int count = 0;
        int lastFlags = -1;
        long extentStart = offset;
        while (pos < end) {
            long unitEnd = Math.min((pos / unit + 1) * unit, end);
            int flags = mapped(map, pos, unitEnd, g) ? 0 : NbdProto.STATE_HOLE | NbdProto.STATE_ZERO;
            if (flags != lastFlags) {
                if (count > 0) {
                    dst.putInt(at - 8, (int) (pos - extentStart));
                    if (reqOne || count == MAX_EXTENTS) {
                        return at;
                    }
                }
                dst.putInt(at, 0).putInt(at + 4, flags);
                at += 8;
                count++;
                extentStart = pos;
                lastFlags = flags;
            }
            pos = unitEnd;
        }
        dst.putInt(at - 8, (int) (pos - extentStart));
        return at;
    }

    /** Whether any granule of {@code [from, to)} holds data. */
    private static boolean mapped(AllocationMap map, long from, long to, int g) {
        for (long p = from & -(long) g; p < to; p += g) {
            if (map.isMapped(p)) {
                return true;
            }
        }
        return false;
    }

    /** The buffer size {@link #encode} may need. */
    static int maxPayload() {
        return 4 + 8 * MAX_EXTENTS;
    }
}
