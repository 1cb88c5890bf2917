package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code rq->ref} as block/blk-mq.c keeps it: 1 from allocation, one more while a tag iterator
 * ({@code blk_mq_find_and_get_req}) holds the request, and the tag goes back only when the last
 * reference is dropped ({@code blk_mq_free_request} / {@code blk_mq_put_rq_ref}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestRefTest {
    @Test
    void allocationSetsOneAndTheEndFreesTheTag() throws Exception {
        Holding drv = new Holding();
        GenDisk disk = disk(set(drv), "ref0");
        try (SwQueue q = disk.openQueue()) {
            Done d = new Done();
            q.submitBio(read(0, 4096, d));
            Request rq = drv.take();
            assertEquals(1, rq.lvRef(), "req_ref_set(rq, 1) at allocation");
            BlkMq.endRequest(rq, BlkStatus.OK);
            d.await();
            assertEquals(0, rq.lvRef(), "the end dropped the allocation's reference");
            assertEquals(0, busyTags(disk), "the last put freed the tag");
        } finally {
            disk.close();
        }
    }

    @Test
    void anIteratorsReferenceDefersTheFreeToItsPut() throws Exception {
        Holding drv = new Holding();
        GenDisk disk = disk(set(drv), "ref1");
        try (SwQueue q = disk.openQueue()) {
            Done d = new Done();
            q.submitBio(read(0, 4096, d));
            Request rq = drv.take();
            Request got = rq.tags.findAndGetReq(rq.tag);
            assertSame(rq, got, "blk_mq_find_and_get_req finds the busy tag");
            assertEquals(2, rq.lvRef());
            BlkMq.endRequest(rq, BlkStatus.OK);
            d.await();
            assertEquals(RequestState.IDLE, rq.state(), "ended: IDLE");
            assertEquals(1, busyTags(disk), "the iterator's reference keeps the tag");
            Tags.putRqRef(rq);
            assertEquals(0, busyTags(disk), "the iterator's put was the last: it freed the tag");
            assertNull(rq.tags.findAndGetReq(rq.tag), "a free tag is not found");
        } finally {
            disk.close();
        }
    }

    @Test
    void aRequestBeingFreedIsNeverRevived() throws Exception {
        Holding drv = new Holding();
        GenDisk disk = disk(set(drv), "ref2");
        try (SwQueue q = disk.openQueue()) {
            q.submitBio(read(0, 4096, new Done()));
            Request rq = drv.take();
            rq.refSet(0); // as between blk_mq_free_request's put and the tag's release
            assertFalse(rq.refIncNotZero(), "req_ref_inc_not_zero refuses a count of zero");
            assertNull(rq.tags.findAndGetReq(rq.tag), "find_and_get skips a request being freed");
            rq.refSet(1);
            BlkMq.endRequest(rq, BlkStatus.OK);
        } finally {
            disk.close();
        }
    }

    @Test
    void inFlightCountingAndTheTimeoutScanDropWhatTheyTake() throws Exception {
        Holding drv = new Holding();
        GenDisk disk = disk(set(drv), "ref3");
        try (SwQueue q = disk.openQueue()) {
            q.submitBio(write(0, 4096, new Done()));
            Request rq = drv.take();
            assertEquals("       0        1\n", disk.inflight());
            disk.stat();
            disk.queue.timeoutScanner.scan();
            assertEquals(1, rq.lvRef(), "every iterator put back its reference");
            BlkMq.endRequest(rq, BlkStatus.OK);
            awaitTagsFree(disk);
        } finally {
            disk.close();
        }
    }
}
