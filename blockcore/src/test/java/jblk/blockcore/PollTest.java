package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Poll queues: a POLLED bio runs on the POLL hctx and completes only when the submitter polls. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PollTest {

    /** Parks polled requests until poll(hctx); ends the rest inline. */
    static final class Polling implements BlkMqOps {
        final Queue<Request> parked = new ConcurrentLinkedQueue<>();
        volatile HwQueue issuedOn;
        volatile HwQueue polledOn;
        volatile boolean lastWasPolled;

        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            issuedOn = hctx;
            lastWasPolled = rq.isPolled();
            BlkMq.startRequest(rq);
            if (rq.isPolled()) {
                parked.add(rq);
            } else {
                BlkMq.endRequest(rq, BlkStatus.OK);
            }
            return BlkStatus.OK;
        }

        @Override
        public int poll(HwQueue hctx) {
            polledOn = hctx;
            int n = 0;
            Request rq;
            while ((rq = parked.poll()) != null) {
                BlkMq.endRequest(rq, BlkStatus.OK);
                n++;
            }
            return n;
        }
    }

    @Test
    void polledBioCompletesOnlyWhenPolled() throws Exception {
        Polling drv = new Polling();
        TagSet set = TagSet.builder(drv).nrHwQueues(2).nrPollQueues(1).queueDepth(8).build();
        GenDisk disk = disk(set, "poll0");
        try (SwQueue q = disk.openQueue()) {
            assertEquals(HctxType.DEFAULT, disk.hwQueue(0).type());
            assertEquals(HctxType.POLL, disk.hwQueue(1).type());
            assertEquals("poll\n", disk.debugfs().get("hctx1/type"));
            Done d = new Done();
            Bio bio = read(0, 4096, d).flags(ReqFlags.POLLED);
            q.submitBio(bio);
            assertNotNull(drv.issuedOn);
            assertEquals(HctxType.POLL, drv.issuedOn.type(), "a POLLED bio runs on the poll hctx");
            assertEquals(1, drv.issuedOn.queueNum());
            assertTrue(drv.lastWasPolled);
            assertTrue(d.staysPending(), "a polled bio is not completed by anyone but the poller");
            assertEquals(1, q.poll(bio));
            assertTrue(d.done(), "completed by poll, on the polling thread");
            assertEquals(Thread.currentThread().getName(), d.thread);
            assertEquals(BlkStatus.OK, d.status);
            assertSame(disk.hwQueue(1), drv.polledOn);
            assertEquals(0, q.poll(bio), "nothing more to reap");

            // a plain bio on the same disk uses the default queue and needs no poll
            Done plain = new Done();
            Bio pb = read(8, 4096, plain);
            q.submitBio(pb);
            assertTrue(plain.done());
            assertEquals(HctxType.DEFAULT, drv.issuedOn.type());
            assertFalse(drv.lastWasPolled);
            assertEquals(0, q.poll(pb), "a bio that was not polled has nothing to poll");
            assertEquals(0, busyTags(disk));
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void polledRequestCompletedThroughCompleteRequestRunsInline() throws Exception {
        BlkMqOps drv = new BlkMqOps() {
            final Queue<Request> parked = new ConcurrentLinkedQueue<>();

            @Override
            public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
                BlkMq.startRequest(rq);
                parked.add(rq);
                return BlkStatus.OK;
            }

            @Override
            public int poll(HwQueue hctx) {
                int n = 0;
                Request rq;
                while ((rq = parked.poll()) != null) {
                    BlkMq.completeRequest(rq); // polled: complete() runs here, not on a softirq thread
                    n++;
                }
                return n;
            }

            @Override
            public void complete(Request rq) {
                BlkMq.endRequest(rq, BlkStatus.OK);
            }
        };
        TagSet set = TagSet.builder(drv).nrHwQueues(2).nrPollQueues(1).queueDepth(8).build();
        GenDisk disk = disk(set, "poll1");
        try (SwQueue q = disk.openQueue()) {
            Done d = new Done();
            Bio bio = write(0, 4096, d).flags(ReqFlags.POLLED);
            q.submitBio(bio);
            assertFalse(d.done());
            assertEquals(1, q.poll(bio));
            assertTrue(d.done());
            assertEquals(Thread.currentThread().getName(), d.thread);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void polledFlagWithoutPollQueuesIsAPlainBio() throws Exception {
        Polling drv = new Polling();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "poll2");
        try (SwQueue q = disk.openQueue()) {
            Done d = new Done();
            Bio bio = read(0, 4096, d).flags(ReqFlags.POLLED);
            q.submitBio(bio);
            assertFalse(drv.lastWasPolled, "no poll queues: the request is not polled");
            assertTrue(d.done());
            assertEquals(BlkStatus.OK, d.status);
            assertEquals(0, q.poll(bio));
        } finally {
            closeQuietly(set, disk);
        }
    }
}
