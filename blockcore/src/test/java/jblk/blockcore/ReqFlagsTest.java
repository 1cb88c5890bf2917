package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Request ops and flags as the driver sees them: kernel op numbers, FUA/PREFLUSH and the write cache. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReqFlagsTest {

    /** Records the last request's flags; ends inline. */
    static final class Recording extends Inline {
        volatile int flags;
        volatile boolean fua;
        volatile ReqOp op;

        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            flags = rq.cmdFlags();
            fua = rq.isFua();
            op = rq.op();
            return super.queueRq(hctx, rq, last);
        }
    }

    @Test
    void kernelOpNumbers() {
        assertEquals(0, ReqOp.READ.code());
        assertEquals(1, ReqOp.WRITE.code());
        assertEquals(2, ReqOp.FLUSH.code());
        assertEquals(3, ReqOp.DISCARD.code());
        assertEquals(9, ReqOp.WRITE_ZEROES.code());
        assertFalse(ReqOp.READ.isWrite());
        assertTrue(ReqOp.WRITE.isWrite());
        assertTrue(ReqOp.DISCARD.isWrite());
        assertTrue(ReqOp.WRITE_ZEROES.isWrite());
        assertFalse(ReqOp.FLUSH.isWrite());
        assertTrue(ReqOp.READ.hasData());
        assertTrue(ReqOp.WRITE.hasData());
        assertFalse(ReqOp.DISCARD.hasData());
        assertEquals("FUA|PREFLUSH|SYNC", ReqFlags.toString(ReqFlags.FUA | ReqFlags.PREFLUSH | ReqFlags.SYNC));
        assertEquals("", ReqFlags.toString(0));
    }

    @Test
    void fuaAndPreflushAreDroppedWithoutAWriteCache() throws Exception {
        Recording drv = new Recording();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "fl0");
        try (SwQueue q = disk.openQueue()) {
            assertFalse(disk.limits().writeCache());
            assertFalse(disk.limits().fua(), "no FUA without a write cache");
            Done d = new Done();
            q.submitBio(write(0, 4096, d).flags(ReqFlags.FUA | ReqFlags.PREFLUSH | ReqFlags.SYNC));
            assertEquals(BlkStatus.OK, d.await().status);
            assertFalse(drv.fua);
            assertEquals(ReqFlags.SYNC, drv.flags, "FUA and PREFLUSH mean nothing without a cache");
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void fuaReachesTheDriverWithAWriteCache() throws Exception {
        Recording drv = new Recording();
        TagSet set = set(drv);
        GenDisk disk = GenDisk.builder(set).name("fl1").capacitySectors(1 << 16).writeCache(true).build();
        try (SwQueue q = disk.openQueue()) {
            assertTrue(disk.limits().fua());
            Done d = new Done();
            q.submitBio(write(0, 4096, d).flags(ReqFlags.FUA));
            assertEquals(BlkStatus.OK, d.await().status);
            assertTrue(drv.fua);
            assertEquals(ReqOp.WRITE, drv.op);
            Done f = new Done();
            q.submitBio(new Bio().set(ReqOp.FLUSH, 0, 0, null, 0, 0, f));
            assertEquals(BlkStatus.OK, f.await().status);
            assertEquals(ReqOp.FLUSH, drv.op, "a FLUSH reaches a driver with a write cache");
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void requestFieldsMirrorTheBio() throws Exception {
        Holding drv = new Holding();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "fl2");
        try (SwQueue q = disk.openQueue()) {
            Done d = new Done();
            Bio bio = write(72, 12288, d);
            q.submitBio(bio);
            Request rq = drv.take();
            assertEquals(72, rq.sector());
            assertEquals(12288, rq.bytes());
            assertEquals(24, rq.sectors());
            assertSame(bio, rq.bio());
            assertSame(bio.buffer(), rq.buffer());
            assertSame(disk, rq.disk());
            assertSame(disk.hwQueue(0), rq.hctx());
            assertTrue(BlkMq.requestStarted(rq));
            assertFalse(BlkMq.requestCompleted(rq));
            assertTrue(RequestState.allocated(rq.laWord()));
            long gen = RequestState.generation(rq.laWord());
            BlkMq.endRequest(rq, BlkStatus.OK);
            d.await();
            assertFalse(RequestState.allocated(rq.laWord()), "the ended request is free");
            Done d2 = new Done();
            q.submitBio(read(0, 4096, d2));
            Request again = drv.take();
            assertSame(rq, again, "the submitter that freed a tag gets it again (sbitmap hint)");
            assertEquals(gen + 1, RequestState.generation(again.laWord()), "the generation moves on each reuse");
            BlkMq.endRequest(again, BlkStatus.OK);
            d2.await();
        } finally {
            closeQuietly(set, disk);
        }
    }
}
