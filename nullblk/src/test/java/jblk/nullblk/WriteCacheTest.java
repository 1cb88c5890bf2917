package jblk.nullblk;

import static jblk.nullblk.NullBlkTestSupport.assertReads;
import static jblk.nullblk.NullBlkTestSupport.op;
import static jblk.nullblk.NullBlkTestSupport.pattern;
import static jblk.nullblk.NullBlkTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jblk.blockcore.BlkStatus;
import jblk.blockcore.ReqFlags;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.safety.Ownership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * cache_size: writes land in the write-back cache and are visible through it; FLUSH drains it into
 * the data store; FUA bypasses it. Where a page lives is read from the device's stores (white box).
 */
class WriteCacheTest {
    private static final int PAGE = 4096;

    private static NullbDevice device(DriverKind kind) {
        return NullBlkTestSupport.powered("nullb0", "size=4 memory_backed=1 cache_size=1 poll_queues=0 irqmode=1",
                kind, kind == DriverKind.RAW ? Ownership.OFF : Ownership.CHECKED);
    }

    private static boolean inDataStore(NullbDevice dev, long page) {
        return dev.engine().memory.data.lookup(page) >= 0;
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void writesAreVisibleThroughTheCacheAndFlushDrainsIt(DriverKind kind) throws Exception {
        try (NullbDevice dev = device(kind); SwQueue q = dev.disk().openQueue()) {
            assertTrue(dev.disk().limits().writeCache());
            byte[] a = pattern(1, 2 * PAGE);
            write(q, 0, a);
            assertReads(q, 0, a);
            assertFalse(inDataStore(dev, 0), "a plain write stays in the cache");
            assertFalse(inDataStore(dev, 1));
            assertEquals(BlkStatus.OK, op(q, ReqOp.FLUSH, 0, 0, 0));
            assertTrue(inDataStore(dev, 0), "FLUSH wrote the cache back");
            assertTrue(inDataStore(dev, 1));
            assertReads(q, 0, a);
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void fuaBypassesTheCacheAndKeepsACachedCopyCurrent(DriverKind kind) throws Exception {
        try (NullbDevice dev = device(kind); SwQueue q = dev.disk().openQueue()) {
            byte[] f = pattern(2, PAGE);
            write(q, 5 * 8, f, ReqFlags.FUA);
            assertTrue(inDataStore(dev, 5), "FUA went straight to the data store");
            assertReads(q, 5 * 8, f);

            byte[] old = pattern(3, PAGE);
            byte[] fresh = pattern(4, PAGE);
            write(q, 7 * 8, old);
            write(q, 7 * 8, fresh, ReqFlags.FUA);
            assertReads(q, 7 * 8, fresh);
            assertEquals(BlkStatus.OK, op(q, ReqOp.FLUSH, 0, 0, 0));
            assertReads(q, 7 * 8, fresh); // the write-back must not bring the old cached data back

            // A partial cached write onto a page the data store has merges with it.
            byte[] base = pattern(5, PAGE);
            write(q, 12 * 8, base, ReqFlags.FUA);
            byte[] patch = pattern(6, 512);
            write(q, 12 * 8 + 2, patch);
            byte[] want = base.clone();
            System.arraycopy(patch, 0, want, 1024, 512);
            assertReads(q, 12 * 8, want);
            op(q, ReqOp.FLUSH, 0, 0, 0);
            assertReads(q, 12 * 8, want);
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void preflushDrainsBeforeTheWrite(DriverKind kind) throws Exception {
        try (NullbDevice dev = device(kind); SwQueue q = dev.disk().openQueue()) {
            write(q, 9 * 8, pattern(7, PAGE));
            assertFalse(inDataStore(dev, 9));
            write(q, 10 * 8, pattern(8, PAGE), ReqFlags.PREFLUSH);
            assertTrue(inDataStore(dev, 9), "PREFLUSH drained what was cached before the write");
            assertReads(q, 9 * 8, pattern(7, PAGE));
            assertReads(q, 10 * 8, pattern(8, PAGE));
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void moreDataThanTheCacheHoldsIsWrittenBackAndReadsBack(DriverKind kind) throws Exception {
        try (NullbDevice dev = device(kind); SwQueue q = dev.disk().openQueue()) {
            int pages = 300; // cache_size=1 holds 256 pages
            for (int p = 0; p < pages; p++) {
                write(q, (long) p * 8, pattern(100 + p, PAGE));
            }
            assertTrue(inDataStore(dev, 0), "the oldest pages were written back to make room");
            for (int p = 0; p < pages; p++) {
                assertReads(q, (long) p * 8, pattern(100 + p, PAGE));
            }
            op(q, ReqOp.FLUSH, 0, 0, 0);
            for (int p = 0; p < pages; p++) {
                assertTrue(inDataStore(dev, p), "page " + p);
            }
            assertEquals((long) pages * PAGE, dev.memoryUsed(), "after the flush only the data pages remain");
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void discardOfACachedPageIsNotUndoneByTheWriteBack(DriverKind kind) throws Exception {
        try (NullbDevice dev = NullBlkTestSupport.powered("nullb0",
                "size=4 memory_backed=1 cache_size=1 discard=1 poll_queues=0", kind, Ownership.CHECKED);
                SwQueue q = dev.disk().openQueue()) {
            write(q, 11 * 8, pattern(9, PAGE));
            assertEquals(BlkStatus.OK, op(q, ReqOp.DISCARD, 11 * 8, PAGE, 0));
            assertReads(q, 11 * 8, new byte[PAGE]);
            op(q, ReqOp.FLUSH, 0, 0, 0);
            assertReads(q, 11 * 8, new byte[PAGE]);
            write(q, 11 * 8, pattern(10, PAGE));
            op(q, ReqOp.FLUSH, 0, 0, 0);
            assertReads(q, 11 * 8, pattern(10, PAGE));
            assertTrue(inDataStore(dev, 11));
        }
    }
}
