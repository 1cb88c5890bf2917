package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Plugging: batches go to queueRqs, or to queueRq with last on the final one, then commitRqs. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PlugTest {

    /** Records every queueRq's last flag; ends inline. */
    static class LastRecorder extends Inline {
        final List<Boolean> lasts = new CopyOnWriteArrayList<>();

        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            lasts.add(last);
            return super.queueRq(hctx, rq, last);
        }
    }

    private static Done[] submitPlugged(SwQueue q, int n) {
        Done[] done = new Done[n];
        for (int i = 0; i < n; i++) {
            done[i] = new Done();
            q.submitBio(write(i * 8L, 4096, done[i]));
        }
        return done;
    }

    private static void allOkOnce(Done[] done) throws InterruptedException {
        for (Done d : done) {
            assertEquals(BlkStatus.OK, d.await().status);
        }
    }

    private static void exactlyOnce(Done[] done) {
        for (Done d : done) {
            assertEquals(1, d.calls.get());
        }
    }

    @Test
    void queueRqsReceivesTheWholeBatch() throws Exception {
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        List<Long> sectors = new CopyOnWriteArrayList<>();
        LastRecorder drv = new LastRecorder() {
            @Override
            public void queueRqs(RequestList rqs) {
                batchSizes.add(rqs.size());
                Request rq;
                while ((rq = rqs.poll()) != null) {
                    sectors.add(rq.sector());
                    BlkMq.startRequest(rq);
                    BlkMq.endRequest(rq, BlkStatus.OK);
                }
            }
        };
        assertTrue(drv.callbacks().contains(BlkMqCallback.QUEUE_RQS));
        TagSet set = set(drv);
        GenDisk disk = diskNone(set, "pl0");
        Done[] done;
        try (SwQueue q = disk.openQueue()) {
            q.startPlug();
            assertTrue(q.isPlugged());
            done = submitPlugged(q, 5);
            assertTrue(batchSizes.isEmpty(), "nothing issued while plugged");
            for (Done d : done) {
                assertFalse(d.done());
            }
            q.finishPlug();
            assertFalse(q.isPlugged());
            allOkOnce(done);
            assertEquals(List.of(5), batchSizes);
            assertEquals(List.of(0L, 8L, 16L, 24L, 32L), sectors, "batch order is submission order");
            assertEquals(0, drv.calls.get(), "queueRqs took them all: no queueRq");
        } finally {
            closeQuietly(set, disk);
        }
        exactlyOnce(done);
    }

    @Test
    void leftoversOfQueueRqsGoThroughQueueRq() throws Exception {
        LastRecorder drv = new LastRecorder() {
            @Override
            public void queueRqs(RequestList rqs) {
                for (int i = 0; i < 2; i++) {
                    Request rq = rqs.poll();
                    BlkMq.startRequest(rq);
                    BlkMq.endRequest(rq, BlkStatus.OK);
                }
            }
        };
        TagSet set = set(drv);
        GenDisk disk = diskNone(set, "pl1");
        Done[] done;
        try (SwQueue q = disk.openQueue()) {
            q.startPlug();
            done = submitPlugged(q, 5);
            q.finishPlug();
            allOkOnce(done);
            assertEquals(List.of(false, false, true), drv.lasts);
        } finally {
            closeQuietly(set, disk);
        }
        exactlyOnce(done);
    }

    @Test
    void withoutQueueRqsLastIsSetOnlyOnTheFinalRequest() throws Exception {
        AtomicInteger commits = new AtomicInteger();
        LastRecorder drv = new LastRecorder() {
            @Override
            public void commitRqs(HwQueue hctx) {
                commits.incrementAndGet();
            }
        };
        TagSet set = set(drv);
        GenDisk disk = diskNone(set, "pl2");
        Done[] done;
        try (SwQueue q = disk.openQueue()) {
            q.startPlug();
            done = submitPlugged(q, 5);
            assertEquals(0, drv.calls.get());
            q.finishPlug();
            allOkOnce(done);
            assertEquals(List.of(false, false, false, false, true), drv.lasts);
            assertEquals(0, commits.get(), "the batch ended with last=true: no commitRqs");
        } finally {
            closeQuietly(set, disk);
        }
        exactlyOnce(done);
    }

    @Test
    void resourceInTheMiddleCallsCommitRqsAndLosesNothing() throws Exception {
        AtomicInteger commits = new AtomicInteger();
        List<Long> issued = new CopyOnWriteArrayList<>();
        BlkMqOps drv = new BlkMqOps() {
            final AtomicInteger calls = new AtomicInteger();

            @Override
            public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
                if (calls.incrementAndGet() == 3) {
                    return BlkStatus.RESOURCE;
                }
                issued.add(rq.sector());
                BlkMq.startRequest(rq);
                BlkMq.endRequest(rq, BlkStatus.OK);
                return BlkStatus.OK;
            }

            @Override
            public void commitRqs(HwQueue hctx) {
                commits.incrementAndGet();
            }
        };
        TagSet set = set(drv);
        GenDisk disk = diskNone(set, "pl3");
        Done[] done;
        try (SwQueue q = disk.openQueue()) {
            q.startPlug();
            done = submitPlugged(q, 5);
            q.finishPlug();
            allOkOnce(done);
            assertTrue(commits.get() >= 1, "two requests were queued without last: commitRqs");
            List<Long> sorted = new ArrayList<>(issued);
            sorted.sort(null);
            assertEquals(List.of(0L, 8L, 16L, 24L, 32L), sorted, "each issued exactly once");
            awaitTagsFree(disk);
        } finally {
            closeQuietly(set, disk);
        }
        exactlyOnce(done);
    }

    @Test
    void errorStatusInABatchEndsOnlyThatBio() throws Exception {
        BlkMqOps drv = new BlkMqOps() {
            @Override
            public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
                if (rq.sector() == 16) {
                    return BlkStatus.IOERR;
                }
                BlkMq.startRequest(rq);
                BlkMq.endRequest(rq, BlkStatus.OK);
                return BlkStatus.OK;
            }
        };
        TagSet set = set(drv);
        GenDisk disk = diskNone(set, "pl4");
        Done[] done;
        try (SwQueue q = disk.openQueue()) {
            q.startPlug();
            done = submitPlugged(q, 5);
            q.finishPlug();
            for (int i = 0; i < 5; i++) {
                assertEquals(i == 2 ? BlkStatus.IOERR : BlkStatus.OK, done[i].await().status, "bio " + i);
            }
            assertEquals(0, busyTags(disk));
        } finally {
            closeQuietly(set, disk);
        }
        exactlyOnce(done);
    }

    @Test
    void thirtyTwoRequestsFlushThePlug() throws Exception {
        LastRecorder drv = new LastRecorder();
        TagSet set = TagSet.builder(drv).queueDepth(64).build();
        GenDisk disk = diskNone(set, "pl5");
        Done[] done = new Done[SwQueue.PLUG_MAX_REQUESTS + 3];
        try (SwQueue q = disk.openQueue()) {
            q.startPlug();
            for (int i = 0; i < done.length; i++) {
                done[i] = new Done();
                q.submitBio(read(i * 8L, 4096, done[i]));
                int expect = i + 1 < SwQueue.PLUG_MAX_REQUESTS ? 0 : SwQueue.PLUG_MAX_REQUESTS;
                assertEquals(expect, drv.calls.get(), "queueRq calls after " + (i + 1) + " plugged bios");
            }
            assertTrue(q.isPlugged(), "still plugged after the automatic flush");
            assertTrue(drv.lasts.get(SwQueue.PLUG_MAX_REQUESTS - 1));
            q.finishPlug();
            allOkOnce(done);
            assertEquals(done.length, drv.calls.get());
        } finally {
            closeQuietly(set, disk);
        }
        exactlyOnce(done);
    }

    @Test
    void closingThePlugsQueueIssuesItsRequests() throws Exception {
        Inline drv = new Inline();
        TagSet set = set(drv);
        GenDisk disk = diskNone(set, "pl6");
        try {
            SwQueue q = disk.openQueue();
            q.startPlug();
            Done[] done = submitPlugged(q, 3);
            q.close();
            allOkOnce(done);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void plugLargerThanTheQueueDepthDoesNotDeadlock() throws Exception {
        Softirq drv = new Softirq();
        TagSet set = TagSet.builder(drv).queueDepth(4).build();
        GenDisk disk = diskNone(set, "pl7");
        Done[] done;
        try (SwQueue q = disk.openQueue()) {
            q.startPlug();
            done = submitPlugged(q, 20);
            q.finishPlug();
            allOkOnce(done);
            awaitTagsFree(disk);
        } finally {
            closeQuietly(set, disk);
        }
        exactlyOnce(done);
    }
}
