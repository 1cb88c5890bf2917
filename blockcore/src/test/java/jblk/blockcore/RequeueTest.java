package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RESOURCE / DEV_RESOURCE bounces and BlkMq.requeueRequest: no request lost or issued twice. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequeueTest {

    /** Returns {@code busy} for the first {@code n} calls (after starting the request), then ends inline. */
    static final class BusyFirst implements BlkMqOps {
        final BlkStatus busy;
        final int n;
        final AtomicInteger calls = new AtomicInteger();
        final List<String> threads = new CopyOnWriteArrayList<>();

        BusyFirst(BlkStatus busy, int n) {
            this.busy = busy;
            this.n = n;
        }

        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            int c = calls.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            BlkMq.startRequest(rq); // a driver may start, then bounce: the core must reset the state
            if (c <= n) {
                return busy;
            }
            BlkMq.endRequest(rq, BlkStatus.OK);
            return BlkStatus.OK;
        }
    }

    private static int debugCounter(GenDisk disk, String file) {
        return Integer.parseInt(disk.debugfs().get(file).trim());
    }

    /** Every bio completed OK, its tag freed, one bounce counted, {@code calls} queueRq calls, nothing left waiting. */
    private static void assertOkAfterOneBounce(GenDisk disk, BusyFirst drv, int calls, String why, Done... done)
            throws InterruptedException {
        for (Done d : done) {
            d.await();
            assertEquals(BlkStatus.OK, d.status);
        }
        awaitTagsFree(disk);
        assertEquals(calls, drv.calls.get(), why);
        assertEquals(1, debugCounter(disk, "hctx0/busy_returns"));
        assertEquals("", disk.debugfs().get("hctx0/dispatch"), "dispatch list empty again");
    }

    @Test
    void resourceOnceThenOk() throws Exception {
        BusyFirst drv = new BusyFirst(BlkStatus.RESOURCE, 1);
        TagSet set = set(drv);
        GenDisk disk = disk(set, "rq0");
        try (SwQueue q = disk.openQueue()) {
            Done d = new Done();
            q.submitBio(read(0, 4096, d));
            assertOkAfterOneBounce(disk, drv, 2, "queueRq: the bounce and the retry", d);
        } finally {
            closeQuietly(set, disk);
        }
        assertEquals(2, drv.calls.get(), "no further queueRq after the retry");
    }

    @Test
    void resourceRepeatedIsRetriedLaterByKblockd() throws Exception {
        BusyFirst drv = new BusyFirst(BlkStatus.RESOURCE, 3);
        TagSet set = set(drv);
        GenDisk disk = disk(set, "rq1");
        Done d = new Done();
        try (SwQueue q = disk.openQueue()) {
            q.submitBio(write(0, 4096, d));
            d.await();
            assertEquals(BlkStatus.OK, d.status);
            assertEquals(4, drv.calls.get());
            assertEquals(3, debugCounter(disk, "hctx0/busy_returns"));
            // after two RESOURCE in a row the queue waits for the delayed run (RESOURCE_DELAY) on kblockd
            assertEquals("jblk-rq1-kblockd", drv.threads.get(3), "the delayed retry runs on kblockd: " + drv.threads);
        } finally {
            closeQuietly(set, disk);
        }
        assertEquals(1, d.calls.get());
    }

    /**
     * A bounce inside a plugged batch (blk_mq_issue_direct): counted once by the shared direct-issue
     * path, the bounced request retried from the dispatch list, the rest of the batch issued after
     * it, every bio completed once.
     */
    @Test
    void resourceInAPluggedBatchIsCountedOnceAndTheRestFollow() throws Exception {
        BusyFirst drv = new BusyFirst(BlkStatus.RESOURCE, 1);
        TagSet set = set(drv);
        GenDisk disk = disk(set, "rq9");
        Done[] done = {new Done(), new Done(), new Done()};
        try (SwQueue q = disk.openQueue()) {
            q.startPlug();
            for (int i = 0; i < done.length; i++) {
                q.submitBio(write(8L * i, 4096, done[i]));
            }
            assertEquals(0, drv.calls.get(), "plugged: nothing issued yet");
            q.finishPlug();
            assertOkAfterOneBounce(disk, drv, 4, "queueRq: the bounce, its retry and the two others", done);
        } finally {
            closeQuietly(set, disk);
        }
        for (Done d : done) {
            assertEquals(1, d.calls.get(), "each bio completed exactly once");
        }
    }

    /**
     * DEV_RESOURCE while another request of the same hctx is in flight: the bounced request is
     * reissued on the next completion, not before.
     */
    @Test
    void devResourceWaitsForACompletionOnTheQueue() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger bounces = new AtomicInteger();
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch bounced = new CountDownLatch(1);
        BlkMqOps drv = new BlkMqOps() {
            @Override
            public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
                if (rq.sector() == 0) { // A: held by the driver
                    BlkMq.startRequest(rq);
                    inFlight.incrementAndGet();
                    events.add("A issued");
                    return BlkStatus.OK;
                }
                if (inFlight.get() > 0) { // B: the device is busy while A runs
                    bounces.incrementAndGet();
                    bounced.countDown();
                    return BlkStatus.DEV_RESOURCE;
                }
                events.add("B issued");
                BlkMq.startRequest(rq);
                BlkMq.endRequest(rq, BlkStatus.OK);
                return BlkStatus.OK;
            }
        };
        TagSet set = set(drv);
        GenDisk disk = disk(set, "rq2");
        try (SwQueue q = disk.openQueue()) {
            Done a = new Done();
            q.submitBio(read(0, 4096, a));
            Done b = new Done();
            q.submitBio(read(8, 4096, b));
            assertTrue(bounced.await(WAIT_S, TimeUnit.SECONDS));
            assertTrue(b.staysPending(), "B must wait while A is in flight");
            int bouncesWhileWaiting = bounces.get();
            assertTrue(bouncesWhileWaiting <= 2, "B is not retried in a loop while nothing completes: "
                    + bouncesWhileWaiting + " bounces");
            assertEquals(0, debugCounter(disk, "hctx0/dev_resource_stalls"), "A is in flight: no stall");
            assertTrue(disk.debugfs().get("hctx0/dispatch").contains(".sector=8"), "B waits on the dispatch list");

            Request ra = disk.hwQueue(0).tags().tagToRq(findTag(disk, 0));
            inFlight.decrementAndGet();
            events.add("A ended");
            BlkMq.endRequest(ra, BlkStatus.OK);
            a.await();
            b.await();
            assertEquals(BlkStatus.OK, b.status);
            assertEquals(List.of("A issued", "A ended", "B issued"), events);
            assertEquals(bouncesWhileWaiting, bounces.get(), "no bounce after A completed");
            awaitTagsFree(disk);
        } finally {
            closeQuietly(set, disk);
        }
    }

    /** The tag of the allocated request of {@code disk} at {@code sector}. */
    static int findTag(GenDisk disk, long sector) {
        Tags t = disk.hwQueue(0).tags();
        for (int i = 0; i < t.nrTags(); i++) {
            Request r = t.tagToRq(i);
            if (t.isAllocated(i) && r.sector() == sector) {
                return i;
            }
        }
        throw new AssertionError("no allocated request at sector " + sector);
    }

    @Test
    void devResourceWithNothingInFlightStillCompletes() throws Exception {
        BusyFirst drv = new BusyFirst(BlkStatus.DEV_RESOURCE, 3);
        TagSet set = set(drv);
        GenDisk disk = disk(set, "rq3");
        try (SwQueue q = disk.openQueue()) {
            Done d = new Done();
            q.submitBio(read(0, 4096, d));
            d.await();
            assertEquals(BlkStatus.OK, d.status);
            assertEquals(4, drv.calls.get());
            assertTrue(debugCounter(disk, "hctx0/dev_resource_stalls") > 0, "the stall is counted");
            readOk(q, 8);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void bounceInABatchKeepsTheRestInOrder() throws Exception {
        // Every queueRq after the 2nd bounces once: the plug's batch must still complete once each.
        AtomicInteger calls = new AtomicInteger();
        List<Long> issued = new CopyOnWriteArrayList<>();
        BlkMqOps drv = new BlkMqOps() {
            @Override
            public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
                int c = calls.incrementAndGet();
                if (c == 3) {
                    return BlkStatus.RESOURCE;
                }
                issued.add(rq.sector());
                BlkMq.startRequest(rq);
                BlkMq.endRequest(rq, BlkStatus.OK);
                return BlkStatus.OK;
            }
        };
        TagSet set = set(drv);
        GenDisk disk = disk(set, "rq4");
        Done[] done = new Done[6];
        try (SwQueue q = disk.openQueue()) {
            q.startPlug();
            for (int i = 0; i < done.length; i++) {
                done[i] = new Done();
                q.submitBio(read(i * 8L, 4096, done[i]));
            }
            q.finishPlug();
            for (Done d : done) {
                assertEquals(BlkStatus.OK, d.await().status);
            }
            assertEquals(List.of(0L, 8L, 16L, 24L, 32L, 40L), issued, "issue order after the bounce");
        } finally {
            closeQuietly(set, disk);
        }
        for (Done d : done) {
            assertEquals(1, d.calls.get());
        }
    }

    @Test
    void requeueRequestWithKickIsDispatchedAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        BlkMqOps drv = new BlkMqOps() {
            @Override
            public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
                BlkMq.startRequest(rq);
                if (calls.incrementAndGet() == 1) {
                    BlkMq.requeueRequest(rq, true);
                    return BlkStatus.OK;
                }
                BlkMq.endRequest(rq, BlkStatus.OK);
                return BlkStatus.OK;
            }
        };
        TagSet set = set(drv);
        GenDisk disk = disk(set, "rq5");
        Done d = new Done();
        try (SwQueue q = disk.openQueue()) {
            q.submitBio(write(64, 4096, d));
            d.await();
            assertEquals(BlkStatus.OK, d.status);
            assertEquals(2, calls.get());
            awaitTagsFree(disk);
            assertEquals("", disk.debugfs().get("requeue_list"));
        } finally {
            closeQuietly(set, disk);
        }
        assertEquals(1, d.calls.get(), "completed exactly once");
        assertEquals(2, calls.get());
    }

    @Test
    void requeueWithoutKickWaitsForKickRequeueList() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch requeued = new CountDownLatch(1);
        BlkMqOps drv = new BlkMqOps() {
            @Override
            public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
                BlkMq.startRequest(rq);
                if (calls.incrementAndGet() == 1) {
                    BlkMq.requeueRequest(rq, false);
                    requeued.countDown();
                    return BlkStatus.OK;
                }
                BlkMq.endRequest(rq, BlkStatus.OK);
                return BlkStatus.OK;
            }
        };
        TagSet set = set(drv);
        GenDisk disk = disk(set, "rq6");
        try (SwQueue q = disk.openQueue()) {
            Done d = new Done();
            q.submitBio(write(64, 4096, d));
            assertTrue(requeued.await(WAIT_S, TimeUnit.SECONDS));
            assertTrue(d.staysPending(), "not dispatched before the requeue list is kicked");
            assertEquals(1, calls.get());
            assertTrue(disk.debugfs().get("requeue_list").contains(".sector=64"), disk.debugfs().get("requeue_list"));
            assertTrue(disk.debugfs().get("requeue_list").contains(".state=idle"), "requeued requests are idle");
            BlkMq.kickRequeueList(disk);
            d.await();
            assertEquals(BlkStatus.OK, d.status);
            assertEquals(2, calls.get());
        } finally {
            closeQuietly(set, disk);
        }
    }
}
