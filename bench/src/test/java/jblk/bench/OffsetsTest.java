package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OffsetsTest {
    @Test
    void randomOffsetsAreAlignedInsideTheRegionAndCoverIt() {
        Offsets o = new Offsets(1 << 20, 100, 4096, 42);
        int[] hits = new int[100];
        for (int i = 0; i < 100_000; i++) {
            long off = o.random();
            assertTrue(off >= 1 << 20 && off < (1 << 20) + 100 * 4096L, "inside: " + off);
            assertEquals(0, off % 4096, "aligned to bs");
            hits[(int) o.blockOf(off)]++;
        }
        for (int h : hits) {
            assertTrue(h > 700 && h < 1300, "every block about 1000 times: " + h); // 1000 +- ~10 sigma
        }
    }

    @Test
    void sequentialWrapsAtTheEndOfTheRegion() {
        Offsets o = new Offsets(8192, 3, 512, 1);
        long[] want = {8192, 8704, 9216, 8192, 8704};
        for (long w : want) {
            assertEquals(w, o.sequential());
        }
    }

    @Test
    void rwmixDrawIsAPercent() {
        Offsets o = new Offsets(0, 1, 512, 7);
        int below30 = 0;
        for (int i = 0; i < 100_000; i++) {
            int p = o.percent();
            assertTrue(p >= 0 && p < 100, "0..99: " + p);
            below30 += p < 30 ? 1 : 0;
        }
        assertTrue(below30 > 29_000 && below30 < 31_000, "30% below 30: " + below30);
    }

    @Test
    void writtenBlocksWalkInOrderOnce() {
        WrittenBlocks w = new WrittenBlocks(200, 4096);
        long[] marks = {199, 0, 63, 64, 65, 127, 64};
        long n = 0;
        for (long m : marks) {
            w.issued(m, ++n, false);
        }
        assertEquals(7, w.last(64), "the last write issued to a block is the one to find there");
        assertEquals(7, w.lowest(64));
        long[] want = {0, 63, 64, 65, 127, 199, -1, -1};
        for (long x : want) {
            assertEquals(x, w.next());
        }
    }

    @Test
    void overlappingWritesWidenWhatABlockMayHold() {
        WrittenBlocks w = new WrittenBlocks(4, 4096);
        w.issued(1, 1, false);
        w.issued(1, 2, true); // issued while write 1 was in flight: either may land last
        w.issued(1, 3, true);
        assertEquals(3, w.last(1));
        assertEquals(1, w.lowest(1));
        w.issued(1, 4, false); // nothing in flight any more: only write 4 may be there
        assertEquals(4, w.lowest(1));
    }

    @Test
    void tooManyBlocksToVerifyNamesTheOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WrittenBlocks(WrittenBlocks.MAX_BLOCKS + 1, 512));
        assertTrue(e.getMessage().contains("--size") && e.getMessage().contains("--bs=512"), e.getMessage());
    }
}
