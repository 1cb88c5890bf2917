package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.BitSet;
import jblk.blockcore.AllocationMap;
import org.junit.jupiter.api.Test;

/** The base:allocation extent encoder against a map whose holes are known. */
class AllocationExtentsTest {
    private static final int H = NbdProto.STATE_HOLE | NbdProto.STATE_ZERO;

    private static AllocationMap map(int granularity, int... mappedUnits) {
        BitSet b = new BitSet();
        for (int u : mappedUnits) {
            b.set(u);
        }
        return new AllocationMap() {
            @Override
            public int granularity() {
                return granularity;
            }

            @Override
            public boolean isMapped(long offset) {
                return b.get((int) (offset / granularity));
            }
        };
    }

    /** {length, flags} pairs of the encoded reply, after checking the context id. */
    private static long[] extents(AllocationMap m, long off, long len, int minBlock, boolean reqOne) {
        ByteBuffer d = ByteBuffer.allocate(AllocationExtents.maxPayload());
        int n = AllocationExtents.encode(m, 7, off, len, minBlock, reqOne, d);
        assertEquals(7, d.getInt(0));
        assertEquals(4, n % 8, "4-byte id plus 8 bytes per extent");
        long[] e = new long[(n - 4) / 4];
        for (int i = 0; i < e.length; i++) {
            e[i] = Integer.toUnsignedLong(d.getInt(4 + 4 * i));
        }
        return e;
    }

    @Test
    void holesAndDataMergeIntoAlternatingExtents() {
        AllocationMap m = map(4096, 2, 3, 7);
        assertArrayEquals(new long[] {8192, H, 8192, 0, 12288, H, 4096, 0, 8192, H},
                extents(m, 0, 40960, 512, false));
        assertArrayEquals(new long[] {8192, H}, extents(m, 0, 40960, 512, true), "REQ_ONE: the first extent only");
        assertArrayEquals(new long[] {40960, H}, extents(map(4096), 0, 40960, 512, false));
    }

    @Test
    void aRequestStartingInsideAGranuleStartsItsFirstExtentThere() {
        AllocationMap m = map(4096, 0);
        assertArrayEquals(new long[] {3584, 0, 4096, H}, extents(m, 512, 7680, 512, false));
    }

    @Test
    void granulesSmallerThanTheMinimumBlockAreJoined() {
        // 512-byte granules, 4 KiB minimum: a block with any data in it is data.
        AllocationMap m = map(512, 9);
        assertArrayEquals(new long[] {4096, H, 4096, 0, 8192, H}, extents(m, 0, 16384, 4096, false));
    }

    @Test
    void aFragmentedMapIsCutAtTheExtentLimit() {
        int[] every2 = new int[AllocationExtents.MAX_EXTENTS];
        for (int i = 0; i < every2.length; i++) {
            every2[i] = 2 * i;
        }
        long[] e = extents(map(4096, every2), 0, 1L << 31, 4096, false);
        assertEquals(2 * AllocationExtents.MAX_EXTENTS, e.length);
        for (int i = 0; i < e.length; i += 2) {
            assertEquals(4096, e[i]);
            assertEquals((i / 2) % 2 == 0 ? 0 : H, e[i + 1]);
        }
    }
}
