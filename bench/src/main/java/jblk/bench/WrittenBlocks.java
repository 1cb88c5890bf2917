package jblk.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * The blocks a verifying job has written and the write sequence number ({@code numberio}) of the
 * last write issued to each, as fio's log of written blocks (its io pieces) keeps them to read back:
 * the verify phase walks them in order and checks each block's header against it. When a write is
 * issued while another to the same block is still in flight, either may land last; the block then
 * accepts any numberio from the oldest of them on. Submitter thread only.
 */
final class WrittenBlocks {
    /** One long per block: at most 128 MiB of bookkeeping. */
    static final long MAX_BLOCKS = 1L << 24;

    private final long[] last;
    private final Map<Long, Long> lowest = new HashMap<>();
    private int cursor;

    WrittenBlocks(long blocks, int bs) {
        if (blocks > MAX_BLOCKS) {
            throw new IllegalArgumentException("--size holds " + blocks + " blocks of --bs=" + bs
                    + ": too many to verify (allowed at most " + MAX_BLOCKS
                    + " blocks); use a smaller --size or a larger --bs");
        }
        this.last = new long[(int) blocks];
    }

    /** A write with sequence number {@code numberio} (from 1) was issued to {@code block}. */
    void issued(long block, long numberio, boolean overlapsAnInFlightWrite) {
        int b = (int) block;
        if (overlapsAnInFlightWrite && last[b] != 0) {
            lowest.merge(block, last[b], Math::min);
        } else {
            lowest.remove(block);
        }
        last[b] = numberio;
    }

    /** The numberio of the last write issued to {@code block} (0: never written). */
    long last(long block) {
        return last[(int) block];
    }

    /** The oldest numberio {@code block} may hold: {@link #last} unless writes to it overlapped. */
    long lowest(long block) {
        Long lo = lowest.get(block);
        return lo != null ? lo : last[(int) block];
    }

    /** The block's data is gone (a zone reset): the verify phase skips it. */
    void clear(long block) {
        last[(int) block] = 0;
        lowest.remove(block);
    }

    /** The next written block at or after the cursor, in order, or -1 when there are no more. */
    long next() {
        while (cursor < last.length) {
            int b = cursor++;
            if (last[b] != 0) {
                return b;
            }
        }
        return -1;
    }
}
