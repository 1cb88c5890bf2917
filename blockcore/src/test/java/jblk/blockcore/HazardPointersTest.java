package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A tag set whose iterators pin with {@link HazardPointers}: {@code rq->ref} stays 1 while they look,
 * a pinned request's tag is not handed out again until it is released, and a request being freed
 * cannot be pinned.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HazardPointersTest {
    private static TagSet hpSet(BlkMqOps ops, int depth) {
        return TagSet.builder(ops).queueDepth(depth).hazardPointers(true).build();
    }

    @Test
    void iteratorsPinWithoutTakingTheReference() throws Exception {
        Holding drv = new Holding();
        GenDisk disk = disk(hpSet(drv, 4), "hp0");
        try (SwQueue q = disk.openQueue()) {
            q.submitBio(write(0, 4096, new Done()));
            Request rq = drv.take();
            int[] refSeen = new int[1];
            int n = rq.tags.forEachBusy(disk.queue, null, r -> {
                refSeen[0] = r.lvRef();
                return true;
            });
            assertEquals(1, n);
            assertEquals(1, refSeen[0], "the iterator pinned: rq->ref stays the allocation's 1");
            assertEquals("       0        1\n", disk.inflight());
            assertFalse(rq.tags.hazards.isProtected(rq), "the iterator released its slot");
            BlkMq.endRequest(rq, BlkStatus.OK);
            awaitTagsFree(disk);
        } finally {
            disk.close();
        }
    }

    @Test
    void aPinnedRequestsTagIsNotReusedUntilReleased() throws Exception {
        Holding drv = new Holding();
        GenDisk disk = disk(hpSet(drv, 1), "hp1");
        try (SwQueue q = disk.openQueue()) {
            Done first = new Done();
            q.submitBio(read(0, 4096, first));
            Request rq = drv.take();
            HazardPointers hp = rq.tags.hazards;
            int slot = hp.protect(rq);
            assertTrue(slot >= 0, "a live request can be pinned");
            long gen = RequestState.generation(rq.laWord());
            BlkMq.endRequest(rq, BlkStatus.OK);
            first.await();
            assertEquals(0, rq.lvRef());
            assertEquals(-1, hp.protect(rq), "a request whose reference reached zero cannot be pinned");

            Done second = new Done();
            try (SwQueue q2 = disk.openQueue()) {
                Thread t = new Thread(() -> q2.submitBio(read(8, 4096, second)), "hp1-submit");
                t.setDaemon(true);
                t.start();
                assertTrue(neverWithinQuietPeriod(() -> drv.calls.get() > 1),
                        "the only tag's request is pinned: no new request gets it");
                assertEquals(gen, RequestState.generation(rq.laWord()), "the pinned request kept its identity");
                hp.release(slot);
                Request again = drv.take();
                assertSame(rq, again);
                assertNotEquals(gen, RequestState.generation(again.laWord()), "reused after the release");
                BlkMq.endRequest(again, BlkStatus.OK);
                second.await();
                t.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            }
        } finally {
            disk.close();
        }
    }

    @Test
    void aPinnedTagIsSkippedWhenOthersAreFree() throws Exception {
        Holding drv = new Holding();
        GenDisk disk = disk(hpSet(drv, 4), "hp2");
        try (SwQueue q = disk.openQueue()) {
            Done first = new Done();
            q.submitBio(read(0, 4096, first));
            Request rq = drv.take();
            int slot = rq.tags.hazards.protect(rq);
            BlkMq.endRequest(rq, BlkStatus.OK);
            first.await();
            for (int i = 0; i < 3; i++) {
                Done d = new Done();
                q.submitBio(read(8 + i, 4096, d)); // the submitter's hint points at the pinned tag
                Request next = drv.take();
                assertNotSame(rq, next, "a pinned request's tag is not handed out");
                BlkMq.endRequest(next, BlkStatus.OK);
                d.await();
            }
            rq.tags.hazards.release(slot);
        } finally {
            disk.close();
        }
    }
}
